package io.feishuipsync.writer;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file writer, run as root (as {@code sudo sync}), into directories other accounts may write: refused unless
 * {@code allow_shared_directory: true}; a link at the target is replaced, never read or written through.
 */
class FileWriterSharedDirectoryTest {

  static final int NOBODY = 65534;

  @TempDir
  Path dir;

  Path www;
  Path victim;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.getOwner(dir).getName().equals("root"), "chown needs root");
    www = Files.createDirectory(dir.resolve("www"));
    victim = Files.writeString(Files.createDirectory(dir.resolve("etc")).resolve("shadow"), "root:secret\n");
    Files.setAttribute(victim, "unix:uid", NOBODY);
  }

  Writer writer(String extra) throws Exception {
    return WriterFixtures.writer("file", "{path: " + www.resolve("allow.conf") + ", format: nginx" + extra + "}",
        new ProcessCommandRunner());
  }

  @Test
  void aGroupWritableDirectoryIsRefusedInOneLineNamingItsOwnerAndMode() throws Exception {
    Files.setAttribute(www, "unix:mode", 0775);
    Writer w = writer("");
    WriterException e = assertThrows(WriterException.class, w::check);
    assertEquals("file:" + www.resolve("allow.conf") + ": refused: directory " + www + " (owner root, mode 0775) is"
        + " writable by its group, which could replace the allowlist or redirect this write; set"
        + " allow_shared_directory: true on this writer to accept it", e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertFalse(Files.exists(www.resolve("allow.conf")));
  }

  @Test
  void aDirectoryOfAnotherAccountIsRefusedAndTheSettingAcceptsIt() throws Exception {
    Files.setAttribute(www, "unix:uid", NOBODY);
    WriterException e = assertThrows(WriterException.class, writer("")::check);
    assertTrue(e.getMessage().contains("directory " + www + " (owner nobody, mode 0755) belongs to another account"),
        e.getMessage());

    converge(writer(", allow_shared_directory: true"), ips("198.51.100.7"));
    assertTrue(Files.readString(www.resolve("allow.conf")).contains("allow 198.51.100.7/32;"));
    assertEquals(NOBODY, Files.getAttribute(www.resolve("allow.conf"), "unix:uid"),
        "the file is given to the directory's owner, as before");
  }

  @Test
  void aStickyWorldWritableDirectoryIsAccepted() throws Exception {
    Files.setAttribute(www, "unix:mode", 01777);
    converge(writer(""), ips("198.51.100.7"));
    assertTrue(Files.readString(www.resolve("allow.conf")).contains("allow 198.51.100.7/32;"));
  }

  @Test
  void aLinkAtTheTargetIsReportedNotReadAndReplacedNotFollowed() throws Exception {
    Files.setAttribute(www, "unix:mode", 01777);
    Path target = www.resolve("allow.conf");
    Files.createSymbolicLink(target, victim);
    Writer w = writer("");
    Holding h = w.read();
    assertEquals(List.of(target + " is a symbolic link, not the file this writer writes"), h.drift());
    assertTrue(h.entries().isEmpty(), "nothing is read through the link");

    converge(w, ips("198.51.100.7"));
    assertFalse(Files.isSymbolicLink(target));
    assertEquals(0, Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals("root:secret\n", Files.readString(victim));
    assertEquals(NOBODY, Files.getAttribute(victim, "unix:uid"));
  }
}
