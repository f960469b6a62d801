package io.feishuipsync.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One IPv4 or IPv6 network prefix in canonical form ({@code 1.2.3.4/32}, {@code 2001:db8::/32}).
 *
 * <p>Parsing is strict and never touches DNS: only address literals with an optional prefix length are
 * accepted, host bits must be zero, and a zero-length prefix (the whole internet) is refused. Instances are
 * immutable and ordered: IPv4 before IPv6, then by address, then by prefix length.
 */
public final class IpRange implements Comparable<IpRange> {

  /** Address family. */
  public enum Family {
    IPV4(32),
    IPV6(128);

    private final int bits;

    Family(int bits) {
      this.bits = bits;
    }

    /** Number of bits in an address of this family. */
    public int bits() {
      return bits;
    }
  }

  private final byte[] address;
  private final int prefixLength;
  private final String text;

  private IpRange(byte[] address, int prefixLength) {
    this.address = address;
    this.prefixLength = prefixLength;
    this.text = format(address) + "/" + prefixLength;
  }

  /**
   * Parses an address ({@code 1.2.3.4}) or prefix ({@code 1.2.3.0/24}); throws {@link IllegalArgumentException}
   * with a reason for anything else.
   */
  public static IpRange parse(String input) {
    if (input == null) {
      throw new IllegalArgumentException("null is not an IP address");
    }
    if (input.isEmpty()) {
      throw new IllegalArgumentException("empty string is not an IP address");
    }
    if (input.length() > 64) {
      throw new IllegalArgumentException("too long to be an IP address");
    }
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == '.' || c == ':' || c == '/';
      if (!ok) {
        throw new IllegalArgumentException("unexpected character " + describe(c) + " in IP address");
      }
    }
    int slash = input.indexOf('/');
    String addressPart = slash < 0 ? input : input.substring(0, slash);
    byte[] address = addressPart.indexOf(':') >= 0 ? parseV6(addressPart) : parseV4(addressPart);
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String prefixPart = input.substring(slash + 1);
      if (prefixPart.isEmpty() || prefixPart.length() > 3 || !prefixPart.chars().allMatch(Character::isDigit)
          || (prefixPart.length() > 1 && prefixPart.charAt(0) == '0')) {
        throw new IllegalArgumentException("bad prefix length '/" + prefixPart + "'");
      }
      prefix = Integer.parseInt(prefixPart);
      if (prefix > bits) {
        throw new IllegalArgumentException("prefix length /" + prefix + " exceeds " + bits + " bits");
      }
    }
    if (prefix == 0) {
      throw new IllegalArgumentException("a /0 prefix would allow every address");
    }
    if (!hostBitsZero(address, prefix)) {
      throw new IllegalArgumentException("host bits set beyond the /" + prefix + " prefix");
    }
    return new IpRange(address, prefix);
  }

  /** The prefix of {@code prefixLength} bits at {@code address} (4 or 16 bytes, host bits zero). */
  public static IpRange of(byte[] address, int prefixLength) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
    }
    if (prefixLength < 1 || prefixLength > address.length * 8) {
      throw new IllegalArgumentException("bad prefix length /" + prefixLength);
    }
    if (!hostBitsZero(address, prefixLength)) {
      throw new IllegalArgumentException("host bits set beyond the /" + prefixLength + " prefix");
    }
    return new IpRange(address.clone(), prefixLength);
  }

  /** The address family. */
  public Family family() {
    return address.length == 4 ? Family.IPV4 : Family.IPV6;
  }

  /** The prefix length in bits. */
  public int prefixLength() {
    return prefixLength;
  }

  /** The network address bytes (a copy). */
  public byte[] addressBytes() {
    return address.clone();
  }

  /** The network address without prefix length, e.g. {@code 2001:db8::}. */
  public String addressText() {
    return format(address);
  }

  /** True when this prefix covers a single address (/32 or /128). */
  public boolean isSingleAddress() {
    return prefixLength == address.length * 8;
  }

  /** True when every address of {@code other} lies within this prefix. */
  public boolean contains(IpRange other) {
    if (other.address.length != address.length || other.prefixLength < prefixLength) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit++) {
      if (bitAt(address, bit) != bitAt(other.address, bit)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(IpRange o) {
    int c = Integer.compare(address.length, o.address.length);
    if (c != 0) {
      return c;
    }
    c = Arrays.compareUnsigned(address, o.address);
    return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.address, address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(address), prefixLength);
  }

  /** Canonical CIDR text, e.g. {@code 1.2.3.4/32}. */
  @Override
  public String toString() {
    return text;
  }

  private static String describe(char c) {
    if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address (expected four dotted numbers)");
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address (bad octet '" + p + "')");
      }
      // A leading zero reads as octal to some tools; refuse the ambiguity.
      if (p.length() > 1 && p.charAt(0) == '0') {
        throw new IllegalArgumentException("not an IPv4 address (octet '" + p + "' has a leading zero)");
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw new IllegalArgumentException("not an IPv4 address (octet " + v + " > 255)");
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String s) {
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      throw new IllegalArgumentException("not an IPv6 address ('::' appears twice)");
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    int[] headGroups = groups(head, doubleColon < 0 || tail.isEmpty());
    int[] tailGroups = doubleColon >= 0 ? groups(tail, true) : new int[0];
    int total = headGroups.length + tailGroups.length;
    if (doubleColon < 0 ? total != 8 : total > 7) {
      throw new IllegalArgumentException("not an IPv6 address (wrong number of groups)");
    }
    int[] all = new int[8];
    System.arraycopy(headGroups, 0, all, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >>> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** Splits colon-separated hex groups; the last group may be a dotted IPv4 address when allowed. */
  private static int[] groups(String s, boolean ipv4TailAllowed) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int count = parts.length;
    boolean v4Tail = ipv4TailAllowed && parts[count - 1].indexOf('.') >= 0;
    int[] out = new int[v4Tail ? count + 1 : count];
    for (int i = 0; i < count; i++) {
      String p = parts[i];
      if (v4Tail && i == count - 1) {
        byte[] v4 = parseV4(p);
        out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4 || p.indexOf('.') >= 0) {
        throw new IllegalArgumentException("not an IPv6 address (bad group '" + p + "')");
      }
      out[i] = Integer.parseInt(p, 16);
    }
    return out;
  }

  private static boolean hostBitsZero(byte[] address, int prefix) {
    for (int bit = prefix; bit < address.length * 8; bit++) {
      if (bitAt(address, bit) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int bitAt(byte[] a, int bit) {
    return (a[bit >>> 3] >>> (7 - (bit & 7))) & 1;
  }

  private static String format(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    // RFC 5952: compress the longest run (of two or more) of zero groups, the first one on a tie.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
