import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';

export interface PortHolder {
  /** null when the socket's owner is not visible to us (another user's process, another network namespace). */
  pid: number | null;
  /** The process's name and command line, e.g. `postgres: /usr/lib/postgresql/15/bin/postgres -D ...`. */
  command: string | null;
}

/** Listening TCP sockets on `port` (any address, IPv4 and IPv6), from /proc/net/tcp*. */
function listeningSockets(port: number): { address: string; inode: string }[] {
  const sockets: { address: string; inode: string }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode; st 0A is LISTEN
      if (fields.length < 10 || fields[3] !== '0A') continue;
      const [address, portHex] = fields[1]!.split(':');
      if (parseInt(portHex!, 16) === port) sockets.push({ address: readableAddress(address!), inode: fields[9]! });
    }
  }
  return sockets;
}

/** /proc/net/tcp writes addresses as 32-bit words in host (little-endian) order. */
function readableAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((byte) => parseInt(byte, 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255)
    return bytes.slice(12).join('.');
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** The local addresses something listens on at `port`, e.g. `['127.0.0.1']`, or `['0.0.0.0']` for every interface. */
export function listeningAddresses(port: number): string[] {
  return [...new Set(listeningSockets(port).map((socket) => socket.address))];
}

/** Name and command line of a process, shortened, without the local codec capability a dev server's line holds. */
export function describeProcess(pid: number): string | null {
  try {
    const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    const shown = line.replace(/\/codec\/local\/[^/\s]+/g, '/codec/local/[capability]');
    return shown ? `${name}: ${shown.length > 240 ? `${shown.slice(0, 240)} ...` : shown}` : name;
  } catch {
    return null;
  }
}

/** Who listens on `port` on this machine; an empty list when nobody does. */
export function portHolders(port: number): PortHolder[] {
  const inodes = new Set(listeningSockets(port).map((socket) => socket.inode));
  if (inodes.size === 0) return [];
  const holders: PortHolder[] = [];
  const found = new Set<string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode) && !holders.some((h) => h.pid === Number(entry))) {
        found.add(inode);
        holders.push({ pid: Number(entry), command: describeProcess(Number(entry)) });
      }
    }
  }
  if (found.size < inodes.size) holders.push({ pid: null, command: null });
  return holders;
}

/** Whether 127.0.0.1:port can be bound now; the fallback where /proc/net is not available. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails at once, before anything starts, when a port the service needs is taken: naming the port, the variable
 * that chooses it, and what holds it.
 */
export async function assertPortsFree(ports: { port: number; variable: string }[]): Promise<void> {
  const taken: string[] = [];
  for (const { port, variable } of ports) {
    const holders = portHolders(port);
    if (holders.length === 0 && (await canBind(port))) continue;
    const who = holders.length
      ? holders
          .map((h) =>
            h.pid === null ? 'a process not visible to this user' : `pid ${h.pid}${h.command ? ` (${h.command})` : ''}`,
          )
          .join(', ')
      : 'an unknown process';
    taken.push(`port ${port} (${variable}) is in use by ${who}`);
  }
  if (taken.length) {
    throw new Error(
      `cannot start: ${taken.join('; ')}. Stop that process, or choose another port with the variable named.`,
    );
  }
}
