package io.feishuipsync.writer.huaweicloud;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Huawei Cloud writer through the real SDK, in its own class loader, against {@link FakeHuaweiVpc}. */
class HuaweiSecurityGroupWriterTest {

  static final String GROUP = "0552091e-b83a-49dd-88a7-4a5c86fd9ec3";

  final FakeHuaweiVpc vpc = open();

  static FakeHuaweiVpc open() {
    try {
      return new FakeHuaweiVpc();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    vpc.close();
  }

  Writer writer() throws Exception {
    return WriterFixtures.writer("huaweicloud-security-group", String.join("\n", "region: cn-north-4",
        "endpoint: " + vpc.endpoint(), "project_id: " + FakeHuaweiVpc.PROJECT, "access_key: " + FakeHuaweiVpc.AK,
        "secret_key: " + FakeHuaweiVpc.SK, "group_ids: [" + GROUP + "]", "ports: [443]"),
        new ProcessCommandRunner());
  }

  @Test
  void aFirstSync() throws Exception {
    vpc.addGroup(GROUP, 100);
    converge(writer(), first(3));
    assertEquals(List.of(), vpc.rejected);
    assertEquals(3, vpc.rules(GROUP).size());
  }
}
