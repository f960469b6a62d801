package io.feishuipsync.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.cli.WriterTypes;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Which writers run once per cluster: every cloud API writer (they all change one shared target), and no writer of
 * a host's own kernel, files or port.
 */
class PlacementTest {

  @Test
  void cloudWritersRunInTheClusterAndHostWritersOnEveryNode() {
    Set<String> cluster = new TreeSet<>();
    for (String name : WriterTypes.ALL.typeNames()) {
      if (WriterTypes.ALL.find(name).orElseThrow().placement() == WriterType.Placement.CLUSTER) {
        cluster.add(name);
      }
    }
    assertEquals(new TreeSet<>(List.of("aliyun-alb-acl", "aliyun-clb-acl", "aliyun-prefix-list",
        "aliyun-security-group", "aws-prefix-list", "aws-security-group", "huaweicloud-security-group",
        "tencentcloud-security-group", "volcengine-clb-acl", "volcengine-security-group")), cluster);
  }
}
