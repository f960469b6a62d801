package io.feishuipsync.writer.tencent;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Tencent Cloud writer in mode {@code address_template}, through the real SDK against {@link FakeVpc}. */
class TencentAddressTemplateTest {

  static final String TEMPLATE = "ipm-0abc1234";

  final FakeVpc vpc = new FakeVpc();

  TencentAddressTemplateTest() throws Exception {
    vpc.addTemplate(TEMPLATE, "198.51.100.0/32", "192.0.2.9/32");
  }

  @AfterEach
  void close() {
    vpc.close();
  }

  Writer writer(String extra) throws Exception {
    String yaml = TencentPolicyWriterTest.connection(vpc, FakeVpc.SECRET_KEY) + "mode: address_template\n"
        + "template_id: " + TEMPLATE + "\n" + extra;
    return TencentWriterType.create(ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(yaml),
        TencentWriterType.Settings.class), TencentTests.NO_CREDENTIALS, d -> {});
  }

  @Test
  void theWholeListIsWrittenInOneCall() throws Exception {
    Writer w = writer("");
    assertEquals(ips("198.51.100.0", "192.0.2.9"), w.read().entries());
    converge(w, first(3));
    assertEquals(List.of("modify " + TEMPLATE + " 3"), vpc.mutations);
    assertEquals(first(3), w.read().entries());
    assertEquals("feishu-ipsync", vpc.templates.get(TEMPLATE).get(0)[1]);
    converge(w, first(3));
    assertEquals(1, vpc.mutations.size(), "nothing to do the second time");
  }

  @Test
  void aListBeyondMaxRulesIsRefusedAndNothingChanges() throws Exception {
    WriterException e = assertThrows(WriterException.class, () -> converge(writer("max_rules: 2\n"), first(3)));
    assertTrue(e.getMessage().contains("would hold 3 addresses but max_rules is 2; nothing changed"),
        e.getMessage());
    assertEquals(List.of(), vpc.mutations);
  }

  @Test
  void theChangeIsReportedOnlyOnceItsTaskSucceeded() throws Exception {
    List<java.time.Duration> waits = new java.util.ArrayList<>();
    vpc.taskPolls = 3;
    Writer w = TencentWriterType.create(ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(
        TencentPolicyWriterTest.connection(vpc, FakeVpc.SECRET_KEY) + "mode: address_template\ntemplate_id: "
        + TEMPLATE + "\n"), TencentWriterType.Settings.class), TencentTests.NO_CREDENTIALS, waits::add);
    converge(w, first(3));
    assertEquals(3, waits.size(), "one wait per RUNNING answer");
    assertEquals(4, vpc.requests.stream().filter("DescribeVpcTaskResult"::equals).count());
    assertEquals(first(3), w.read().entries(), "the template holds the new list when success is reported");
  }

  @Test
  void aFailedTaskIsAFailureAndTheTemplateKeepsTheOldList() throws Exception {
    vpc.failTasks = true;
    Writer w = writer("");
    WriterException e = assertThrows(WriterException.class, () -> converge(w, first(3)));
    assertTrue(e.getMessage().contains("the change of template " + TEMPLATE + " failed (task task-"), e.getMessage());
    assertTrue(e.getMessage().contains("InternalError: the template could not be updated"), e.getMessage());
    assertEquals(ips("198.51.100.0", "192.0.2.9"), w.read().entries());
  }

  @Test
  void aTaskThatNeverEndsIsAFailureAfterTheWait() throws Exception {
    vpc.taskPolls = Integer.MAX_VALUE;
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(""), first(3)));
    assertTrue(e.getMessage().contains("was still running after 60 s"), e.getMessage());
  }

  @Test
  void theDefaultMaxRulesIsTheDocumentedQuotaOf20() throws Exception {
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(""), first(21)));
    assertTrue(e.getMessage().contains("would hold 21 addresses but max_rules is 20; nothing changed"),
        e.getMessage());
    converge(writer(""), first(20));
    assertEquals(first(20), writer("").read().entries());
  }

  @Test
  void aMissingTemplateFailsTheCheck() throws Exception {
    vpc.templates.clear();
    WriterException e = assertThrows(WriterException.class, () -> writer("").check());
    assertTrue(e.getMessage().contains("address template " + TEMPLATE + " does not exist"), e.getMessage());
  }

  @Test
  void anAddressRangeInTheTemplateIsAnErrorNotSkipped() throws Exception {
    vpc.addTemplate(TEMPLATE, "192.0.2.1-192.0.2.9");
    WriterException e = assertThrows(WriterException.class, () -> writer("").read());
    assertTrue(e.getMessage().contains("cannot read: 192.0.2.1-192.0.2.9"), e.getMessage());
  }

  @Test
  void aMissingPermissionNamesTheCamAction() throws Exception {
    vpc.failNext("ModifyAddressTemplateAttribute", "UnauthorizedOperation");
    WriterException e = assertThrows(WriterException.class, () -> converge(writer(""), first(1)));
    assertTrue(e.getMessage().contains("CAM action vpc:ModifyAddressTemplateAttribute"), e.getMessage());
  }

  @Test
  void teardownEmptiesTheTemplateInOneCall() throws Exception {
    converge(writer(""), first(2));
    writer("").teardown();
    assertEquals(List.of("modify " + TEMPLATE + " 2", "modify " + TEMPLATE + " 0"), vpc.mutations);
    assertEquals(0, writer("").read().entries().size());
  }
}
