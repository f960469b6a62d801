package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which directories another account may write, as seen by a process running as root (as {@code sudo sync}). */
class DirectoryTrustTest {

  static final int NOBODY = 65534;

  @TempDir
  Path dir;

  Path state;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(DirectoryTrust.effectiveUid() == 0, "chown needs root");
    state = Files.createDirectory(dir.resolve("state"));
  }

  Optional<String> problem(Path p) {
    return DirectoryTrust.forProcess(state).problem(p);
  }

  Path mkdir(String name, int mode, int uid) throws IOException {
    Path p = Files.createDirectory(dir.resolve(name));
    Files.setAttribute(p, "unix:mode", mode);
    Files.setAttribute(p, "unix:uid", uid);
    return p;
  }

  @Test
  void aDirectoryOfRootOrTheProcessNotWritableByOthersIsTrusted() throws IOException {
    assertEquals(Optional.empty(), problem(mkdir("etc", 0755, 0)));
  }

  @Test
  void groupOrOtherWriteWithoutTheStickyBitIsNamedWithOwnerAndMode() throws IOException {
    Path group = mkdir("group", 0775, 0);
    assertEquals(Optional.of("directory " + group + " (owner root, mode 0775) is writable by its group"),
        problem(group));
    Path world = mkdir("world", 0777, 0);
    assertEquals(Optional.of("directory " + world + " (owner root, mode 0777) is writable by every account"),
        problem(world.resolve("not-yet")));
  }

  @Test
  void aStickyWorldWritableDirectoryLikeTmpIsAccepted() throws IOException {
    assertEquals(Optional.empty(), problem(mkdir("tmp", 01777, 0)));
  }

  @Test
  void aDirectoryOfAnotherAccountIsRefusedWhileRunningAsRoot() throws IOException {
    Path textfiles = mkdir("node-exporter", 0755, NOBODY);
    assertEquals(Optional.of("directory " + textfiles + " (owner nobody, mode 0755) belongs to another account"),
        problem(textfiles));
    assertEquals(Optional.of("directory " + textfiles + " (owner nobody, mode 0755) belongs to another account"),
        problem(Files.createDirectory(textfiles.resolve("sub"))), "it could rename the directory below it");
  }

  @Test
  void aLinkIsJudgedByWhereItLeads() throws IOException {
    Path shared = mkdir("shared", 0777, 0);
    Path link = Files.createSymbolicLink(dir.resolve("link"), shared);
    assertEquals(Optional.of("directory " + shared + " (owner root, mode 0777) is writable by every account"),
        problem(link));
  }

  @Test
  void theServiceAccountOwningTheStateDirectoryIsTrustedByARootRun() throws IOException {
    Path nginx = mkdir("nginx", 0755, NOBODY);
    Files.setAttribute(state, "unix:uid", NOBODY);
    assertEquals(Optional.empty(), problem(nginx));
  }
}
