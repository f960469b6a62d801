package io.feishuipsync.writer.aliyun;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.WriterFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Alibaba Cloud security group writer driven through the real ECS SDK (tea-openapi, V3 signatures, HTTP) against
 * {@link FakeEcs}, a stateful fake of the ECS API that verifies every request's signature: no emulator of ECS
 * exists. Each test that expects success also asserts that the fake rejected no request.
 */
class AliyunSecurityGroupWriterTest {

  static final String GROUP = "sg-bp1fakegroup0001";
  static final String MARKER = "feishu-ipsync";

  final FakeEcs ecs = open();
  final List<Duration> waits = new ArrayList<>();

  static FakeEcs open() {
    try {
      return new FakeEcs();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    ecs.close();
  }

  Writer writer(int maxRules, String secret, List<PortRange> ports) {
    ecs.groups.putIfAbsent(GROUP, new ArrayList<>());
    ecs.quota.putIfAbsent(GROUP, 200);
    AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, ecs.endpoint(), FakeEcs.ACCESS_KEY_ID, secret, null,
        Map.<String, String>of()::get);
    return new EcsSecurityGroupWriter(new EcsSecurityGroupWriter.Target(FakeEcs.REGION, List.of(GROUP), ports, "tcp",
        MARKER, maxRules), c::client, waits::add, 10);
  }

  Writer writer(int maxRules) {
    return writer(maxRules, FakeEcs.ACCESS_KEY_SECRET, List.of(new PortRange(443, 443)));
  }

  /** The addresses of our rules in the fake, per port range. */
  SortedSet<String> held(String ports) {
    return ecs.rules(GROUP).stream().filter(r -> MARKER.equals(r.description()) && r.portRange().equals(ports))
        .map(r -> r.v4() != null ? r.v4() : r.v6()).collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<String> text(SortedSet<IpRange> list) {
    return list.stream().map(IpRange::toString).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void createsOneRulePerAddressAndPortFromTheConfigThroughTheSdk() throws Exception {
    ecs.addGroup(GROUP, 200);
    Writer w = WriterFixtures.writer("aliyun-security-group", String.join("\n",
        "region: " + FakeEcs.REGION,
        "endpoint: " + ecs.endpoint(),
        "access_key_id: " + FakeEcs.ACCESS_KEY_ID,
        "access_key_secret: " + FakeEcs.ACCESS_KEY_SECRET,
        "group_ids: [" + GROUP + "]",
        "ports: [443, '8000-8100']"), new ProcessCommandRunner());
    SortedSet<IpRange> list = new TreeSet<>(first(3));
    list.add(IpRange.parse("2001:db8::/64"));
    converge(w, list);
    assertEquals(text(list), held("443/443"));
    assertEquals(text(list), held("8000/8100"));
    FakeEcs.Rule v6 = ecs.rules(GROUP).stream().filter(r -> r.v6() != null).findFirst().orElseThrow();
    assertEquals("2001:db8::/64", v6.v6());
    assertEquals("accept", v6.policy());
    assertEquals(list, w.read().entries());
    assertTrue(w.read().inSync(list));
    assertEquals(List.of(), ecs.rejected);
  }
}
