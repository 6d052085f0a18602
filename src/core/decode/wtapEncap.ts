/**
 * LINKTYPE_* -> Wireshark's internal WTAP_ENCAP_* number, which tshark prints as `frame.encap_type`.
 * The pairs are the ones the conformance corpus shows (its README lists them); unknown link types give
 * undefined, printed as an empty cell.
 */
const LINKTYPE_TO_WTAP = new Map<number, number>([
  [1, 1], // Ethernet
  [0, 15], // NULL / BSD loopback
  [113, 25], // LINUX_SLL
  [276, 210], // LINUX_SLL2
  [101, 7], // RAW
  [12, 7], // RAW, BSD DLT value
  [14, 7], // RAW, OpenBSD DLT value
  [228, 129], // IPV4
  [229, 130], // IPV6
  [9, 4], // PPP
  [50, 4], // PPP_HDLC
  [104, 28], // C_HDLC
  [239, 141], // NFLOG
  [107, 26], // FRELAY
  [8, 3], // SLIP
  [226, 124], // IPNET
  [242, 180], // IPOIB
  [253, 158], // NETLINK
  [105, 20], // IEEE802_11
  [127, 23], // IEEE802_11_RADIOTAP
  [195, 104], // IEEE802_15_4
  [230, 127], // IEEE802_15_4_NOFCS
  [129, 9], // ARCNET_LINUX
  [231, 146], // DBUS
  [271, 185], // VSOCK
]);

export function wtapEncap(linkType: number): number | undefined {
  return LINKTYPE_TO_WTAP.get(linkType);
}
