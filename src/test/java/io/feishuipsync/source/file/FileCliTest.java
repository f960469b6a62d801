package io.feishuipsync.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.Cli;
import io.feishuipsync.source.SenderCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: file} end to end: a list another tool keeps, read without following links. */
class FileCliTest {

  @TempDir
  Path dir;
  Path list;
  SenderCli cli;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(dir.resolve("lists"));
    list = dir.resolve("lists/partner.txt");
    Files.writeString(list, "192.0.2.1\n198.51.100.0/28\n");
    cli = new SenderCli(dir, Map.of());
    cli.config("  - type: file\n    name: partner\n    path: " + list + "\n");
  }

  @Test
  void theFileIsAppliedAndAChangeFollows() throws Exception {
    assertTrue(cli.synced().out().startsWith("applied: 2 entries, +2 -0"));
    Files.writeString(list, "192.0.2.1\n198.51.100.0/28\n203.0.113.5\n");
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +1 -0"));
  }

  @Test
  void aLinkInPlaceOfTheFileOrOnItsPathIsNotFollowed() throws Exception {
    cli.synced();
    Path elsewhere = Files.writeString(dir.resolve("planted.txt"), "192.0.2.0/24\n");
    Files.delete(list);
    Files.createSymbolicLink(list, elsewhere);
    cli.refused(Cli.SOURCE, "not followed");
    Path linked = dir.resolve("linked");
    Files.createSymbolicLink(linked, dir.resolve("lists"));
    cli.config("  - type: file\n    name: partner\n    path: " + linked.resolve("partner.txt") + "\n");
    cli.refused(Cli.SOURCE, "a link on its path leads to");
  }

  @Test
  void aFileEveryAccountMayWriteIsNotTaken() throws Exception {
    cli.synced();
    Files.writeString(list, "192.0.2.0/24\n");
    Files.setPosixFilePermissions(list, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    cli.refused(Cli.SOURCE, "every account may write it (mode rw-rw-rw-)");
  }

  @Test
  void aMissingFileFailsTheSourceAndItsLastListIsKept() throws Exception {
    cli.synced();
    Files.delete(list);
    var r = cli.refused(Cli.SOURCE, "cannot read " + list);
    assertTrue(r.err().contains("the last good list") || r.err().contains("held"), r.err());
    assertTrue(cli.held().contains("192.0.2.1/32"));
  }

  @Test
  void aJsonFileTakesAPointer() throws Exception {
    Path json = Files.writeString(dir.resolve("lists/partner.json"), "{\"data\":{\"ips\":[\"192.0.2.7\"]}}");
    cli.config("  - type: file\n    name: partner\n    path: " + json + "\n    format: json\n"
        + "    pointer: /data/ips\n");
    assertTrue(cli.synced().out().startsWith("applied: 1 entries, +1 -0"));
    cli.config("  - type: file\n    name: partner\n    path: " + json + "\n    pointer: /data/ips\n");
    var r = cli.run("check-config");
    assertEquals(Cli.USAGE, r.exit());
    assertTrue(r.err().contains("senders[0].pointer: only for format: json"), r.err());
  }
}
