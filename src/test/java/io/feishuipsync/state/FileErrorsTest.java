package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileErrorsTest {

  @TempDir
  Path dir;

  @Test
  void exceptionsThatCarryOnlyThePathGetAReason() throws IOException {
    Path lock = Files.createFile(dir.resolve("lock"));
    String owner = Files.getOwner(lock).getName();
    assertEquals(lock + ": permission denied (owned by " + owner + ")",
        FileErrors.describe(new AccessDeniedException(lock.toString())));
    assertEquals(dir.resolve("gone") + ": no such file or directory",
        FileErrors.describe(new NoSuchFileException(dir.resolve("gone").toString())));
  }

  @Test
  void theSystemsReasonIsKept() {
    assertEquals("/x/snapshot.json: No space left on device",
        FileErrors.describe(new FileSystemException("/x/snapshot.json", null, "No space left on device")));
    assertEquals("No space left on device",
        FileErrors.reason(new FileSystemException("/x/snapshot.json", null, "No space left on device")));
    assertEquals("Broken pipe", FileErrors.describe(new IOException("Broken pipe")));
  }
}
