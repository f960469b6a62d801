package io.feishuipsync.cloud;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cloud SDK bundle is code this process runs: one that anyone else could have written is not loaded. */
class BundleTest {

  static String refusal(Path dir) {
    return assertThrows(ConfigException.class, () -> Bundle.loader("x", dir, BundleTest.class, List.of("x.")))
        .getMessage();
  }

  @Test
  void aBundleOthersCouldWriteIsNotLoaded(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectory(root.resolve("x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertTrue(refusal(dir).contains("holds no jar"), refusal(dir));
    Path jar = Files.write(dir.resolve("sdk.jar"), new byte[] {'P', 'K', 5, 6});
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertTrue(refusal(dir).contains("may be written by its group or by anyone (mode rw-rw-rw-)"), refusal(dir));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    Bundle.loader("x", dir, BundleTest.class, List.of("x."));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertTrue(refusal(dir).contains("may be written by its group or by anyone"), refusal(dir));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.delete(jar);
    Files.createSymbolicLink(dir.resolve("sdk.jar"), root.resolve("elsewhere.jar"));
    assertTrue(refusal(dir).contains("is not a plain file"), refusal(dir));
    assertTrue(refusal(root.resolve("missing")).contains("cannot be read"), refusal(root.resolve("missing")));
  }
}
