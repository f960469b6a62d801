package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another account can plant beside a file the program replaces (run as root here, like {@code sudo sync}):
 * links at the target or at the temporary name never lead to writing, chmodding or chowning another file.
 */
class AtomicFilesSecurityTest {

  static final int NOBODY = 65534;

  @TempDir
  Path dir;

  Path victim;
  Path target;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(DirectoryTrust.effectiveUid() == 0, "chown needs root");
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    victim = elsewhere.resolve("shadow");
    Files.writeString(victim, "root:secret\n");
    Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(victim, "unix:uid", NOBODY);
    target = Files.createDirectory(dir.resolve("www")).resolve("allow.conf");
  }

  void assertVictimUntouched() throws IOException {
    assertEquals("root:secret\n", Files.readString(victim));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
    assertEquals(NOBODY, Files.getAttribute(victim, "unix:uid"));
  }

  @Test
  void aLinkAtTheTargetIsReplacedNotFollowedAndLendsNoOwner() throws IOException {
    Files.createSymbolicLink(target, victim);
    AtomicFiles.write(target, "allow 198.51.100.1;\n".getBytes(StandardCharsets.UTF_8), 0644);

    assertVictimUntouched();
    assertFalse(Files.isSymbolicLink(target), "the link itself is replaced by the file");
    assertEquals("allow 198.51.100.1;\n", Files.readString(target));
    assertEquals(0, Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        "the new file takes its directory's owner, not that of the file the link led to");
  }

  @Test
  void aLinkAtTheTemporaryNameOfOlderVersionsIsNeitherFollowedNorRemoved() throws IOException {
    // Older versions wrote ".<name>.tmp-<pid>", truncating and chowning whatever was there.
    Path planted = target.resolveSibling(".allow.conf.tmp-" + ProcessHandle.current().pid());
    Files.createSymbolicLink(planted, victim);
    AtomicFiles.write(target, "new\n".getBytes(StandardCharsets.UTF_8), 0644);

    assertVictimUntouched();
    assertEquals("new\n", Files.readString(target));
    assertTrue(Files.isSymbolicLink(planted), "only regular files are cleaned up, and never through a link");
  }

  @Test
  void aLinkAlreadyAtTheChosenTemporaryNameFailsTheWriteAndTouchesNothing() throws IOException {
    String random = "0123456789abcdef";
    Path planted = target.resolveSibling(".allow.conf.tmp-" + ProcessHandle.current().pid() + "-" + random);
    Files.createSymbolicLink(planted, victim);
    Files.writeString(target, "old\n");

    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target,
        "new\n".getBytes(StandardCharsets.UTF_8), 0644, (from, to) -> {
          throw new AssertionError("nothing to rename");
        }, random));
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    assertVictimUntouched();
    assertEquals("old\n", Files.readString(target));
    assertTrue(Files.isSymbolicLink(planted), "what was there is not ours to delete");
  }

  @Test
  void temporaryNamesAreUnpredictable() throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {1}, 0600, (from, to) -> {
        names.add(from.getFileName().toString());
        throw new IOException("stop before the rename");
      }));
    }
    String prefix = ".allow.conf.tmp-" + ProcessHandle.current().pid() + "-";
    assertTrue(names.get(0).matches("\\Q" + prefix + "\\E[0-9a-f]{16}"), names.toString());
    assertNotEquals(names.get(0), names.get(1));
  }

  @Test
  void leftoversAreRegularFilesOfDeadOrStaleWritersOnly() throws IOException {
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path dead = Files.writeString(target.resolveSibling(".allow.conf.tmp-999999999-00000000000000aa"), "x");
    Path fresh = Files.writeString(target.resolveSibling(".allow.conf.tmp-" + live + "-00000000000000bb"), "x");
    Path stale = Files.writeString(target.resolveSibling(".allow.conf.tmp-" + live + "-00000000000000cc"), "x");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
    Path link = Files.createSymbolicLink(target.resolveSibling(".allow.conf.tmp-999999998"), victim);
    Path other = Files.writeString(target.resolveSibling(".allow.conf.tmp-notours"), "x");

    AtomicFiles.write(target, "new\n".getBytes(StandardCharsets.UTF_8), 0644);

    assertFalse(Files.exists(dead), "a dead writer's leftover is removed");
    assertFalse(Files.exists(stale), "a leftover older than any write is removed whatever its pid says");
    assertTrue(Files.exists(fresh), "a live writer's fresh temporary file is left to it");
    assertTrue(Files.isSymbolicLink(link), "a link is never a leftover of ours");
    assertTrue(Files.exists(other), "a name not of our pattern is left alone");
    assertVictimUntouched();
  }

  @Test
  void ownerAndModeAreSetOnTheNewFileWhateverTheUmask() throws IOException {
    Files.setAttribute(target.getParent(), "unix:uid", NOBODY);
    AtomicFiles.write(target, "x\n".getBytes(StandardCharsets.UTF_8), 0640);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertEquals(NOBODY, Files.getAttribute(target, "unix:uid"), "the directory's owner keeps using its file");
  }
}
