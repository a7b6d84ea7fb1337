# One image for the worker and the API; the compose file picks the target. The build stage compiles the service to
# JavaScript and bundles the workflow code (npm run build, tools/build.ts); the runtime stage runs plain node on it,
# with production dependencies only (no tsx, no webpack at start-up).
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY tools ./tools
COPY config ./config
COPY domain ./domain
COPY policy ./policy
COPY workflows ./workflows
COPY activities ./activities
COPY templates ./templates
COPY common ./common
COPY db ./db
COPY api ./api
COPY worker ./worker
RUN node --import tsx tools/build.ts /app/dist

FROM node:20.19-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node

FROM base AS worker
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "fetch('http://127.0.0.1:9464/metrics').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/worker/main.js"]

FROM base AS api
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/main.js"]
