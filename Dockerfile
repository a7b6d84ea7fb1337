# One image for the worker and the API; the compose file picks the command.
FROM node:20.19-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources directly; devDependencies are not needed at run time.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
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
USER node

FROM base AS worker
CMD ["node_modules/.bin/tsx", "worker/main.ts"]

FROM base AS api
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s CMD node -e "fetch('http://localhost:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node_modules/.bin/tsx", "api/main.ts"]
