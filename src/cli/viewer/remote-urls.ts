import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";

/**
 * The addresses other machines reach a viewer at when it binds every interface (`0.0.0.0`, or
 * `::`, which also takes IPv4 on Linux and macOS): one URL per non-loopback address. Empty for a
 * viewer bound to one address, whose own URL already says where it is.
 *
 * @param host - the address the viewer binds
 * @param port - the port it listens on
 * @param interfaces - the machine's interfaces (tests pass their own)
 * @returns the URLs, IPv4 first
 * @example
 * remoteUrls("0.0.0.0", 4318) // ["http://192.168.1.20:4318/"]
 */
export function remoteUrls(host: string, port: number, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const ipv6 = host === "::" || host === "[::]";
  if (host !== "0.0.0.0" && !ipv6) return [];
  const v4: string[] = [];
  const v6: string[] = [];
  for (const address of Object.values(interfaces).flat()) {
    if (address === undefined || address.internal) continue;
    if (address.family === "IPv4") v4.push(`http://${address.address}:${port}/`);
    // A link-local address (fe80::) needs the zone of the reader's own interface: no URL to give.
    else if (ipv6 && !/^fe[89ab]/i.test(address.address)) v6.push(`http://[${address.address}]:${port}/`);
  }
  return [...v4, ...v6];
}
