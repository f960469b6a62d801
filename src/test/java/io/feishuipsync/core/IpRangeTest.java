package io.feishuipsync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

  @ParameterizedTest
  @CsvSource({
      "1.2.3.4, 1.2.3.4/32",
      "198.51.100.0/24, 198.51.100.0/24",
      "255.255.255.255, 255.255.255.255/32",
      "2001:db8::1, 2001:db8::1/128",
      "2001:DB8:0:0:0:0:0:1, 2001:db8::1/128",
      "2001:db8::/32, 2001:db8::/32",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
      "2001:0db8:0000:0000:0000:0000:0000:0000/64, 2001:db8::/64",
      "::ffff:192.0.2.1, ::ffff:c000:201/128",
      "::1, ::1/128",
      "2001:db8:1:1:1:1:1:1, 2001:db8:1:1:1:1:1:1/128",
      "2001:db8::1:0:0:0:1, 2001:db8:0:1::1/128",
  })
  void parsesToCanonicalForm(String input, String canonical) {
    assertEquals(canonical, IpRange.parse(input).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "example.com", "1.2.3.4/33", "0.0.0.0/0", "::/0", "1.2.3.4; flush ruleset",
      "1.2.3.4 ", " 1.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/", "1.2.3.4/08",
      "1.2.3.4/24", "2001:db8::1::1", "2001:db8:::1", "12345::", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
      "1.2.3.4\n", "1.2.3.4}", "\"1.2.3.4\"", "2001:db8::/129", "-1.2.3.4", "1:2:3:4:5:6:7::8"})
  void rejectsAnythingButAStrictAddressOrPrefix(String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpRange.parse(input));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void ordersIpv4BeforeIpv6ThenByAddressThenPrefix() {
    TreeSet<IpRange> set = new TreeSet<>();
    for (String s : List.of("2001:db8::1", "203.0.113.0/24", "198.51.100.7", "203.0.113.0/25", "192.0.2.1",
        "198.51.100.7")) {
      set.add(IpRange.parse(s));
    }
    assertEquals("[192.0.2.1/32, 198.51.100.7/32, 203.0.113.0/24, 203.0.113.0/25, 2001:db8::1/128]",
        set.toString());
  }

  @Test
  void containsIsPrefixAware() {
    IpRange net = IpRange.parse("198.51.100.0/24");
    assertTrue(net.contains(IpRange.parse("198.51.100.77")));
    assertTrue(net.contains(net));
    assertFalse(net.contains(IpRange.parse("198.51.101.1")));
    assertFalse(IpRange.parse("198.51.100.77").contains(net));
    assertFalse(net.contains(IpRange.parse("2001:db8::1")));
  }

  @Test
  void equalityIgnoresSpelling() {
    assertEquals(IpRange.parse("2001:db8::"), IpRange.parse("2001:0DB8:0::0/128"));
    assertEquals(IpRange.parse("2001:db8::").hashCode(), IpRange.parse("2001:0DB8:0::0/128").hashCode());
  }
}
