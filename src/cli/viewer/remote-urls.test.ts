import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { remoteUrls } from "./remote-urls.js";

const nic = (address: string, family: "IPv4" | "IPv6", internal = false): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null, ...(family === "IPv6" ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo;
const interfaces = { lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)], eth0: [nic("fe80::1", "IPv6"), nic("fd00::2", "IPv6"), nic("192.168.1.20", "IPv4")] };

describe("remoteUrls", () => {
  it("lists the non-loopback IPv4 addresses for 0.0.0.0, and routable IPv6 ones too for ::", () => {
    expect(remoteUrls("0.0.0.0", 4318, interfaces)).toEqual(["http://192.168.1.20:4318/"]);
    expect(remoteUrls("::", 4318, interfaces)).toEqual(["http://192.168.1.20:4318/", "http://[fd00::2]:4318/"]);
  });

  it("is empty for a viewer bound to one address", () => {
    expect(remoteUrls("127.0.0.1", 4318, interfaces)).toEqual([]);
    expect(remoteUrls("192.168.1.20", 4318, interfaces)).toEqual([]);
  });
});
