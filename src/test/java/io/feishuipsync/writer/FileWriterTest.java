package io.feishuipsync.writer;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.file.FileWriterType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file writer against the real filesystem and real processes. */
class FileWriterTest {

  @TempDir
  Path dir;

  Writer writer(String format, List<String> onChange) {
    return FileWriterType.TYPE.create(new FileWriterType.Settings(dir.resolve("allow.conf").toString(), format,
        onChange, "10s", null, null), new WriterContext(new ProcessCommandRunner(), dir, TreeSet::new));
  }

  @Test
  void nginxFormatHoldsAllowLinesAndDenyAll() throws Exception {
    Writer w = writer("nginx", null);
    converge(w, ips("198.51.100.10", "2001:db8::/32"));
    String text = Files.readString(dir.resolve("allow.conf"));
    assertTrue(text.contains("allow 198.51.100.10/32;\nallow 2001:db8::/32;\ndeny all;\n"), text);
    assertTrue(text.startsWith("# Managed by feishu-ipsync"), text);
    assertEquals(ips("198.51.100.10", "2001:db8::/32"), w.read().entries());
    assertTrue(w.read().inSync(ips("198.51.100.10", "2001:db8::/32")));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("allow.conf"))));
  }

  @Test
  void plainFormatIsOneCidrPerLine() throws Exception {
    Writer w = writer("plain", null);
    converge(w, ips("198.51.100.10", "192.0.2.0/24"));
    assertEquals(List.of("192.0.2.0/24", "198.51.100.10/32"), Files.readAllLines(dir.resolve("allow.conf"))
        .stream().filter(l -> !l.startsWith("#")).toList());
  }

  @Test
  void foreignLineIsDriftAndIsRemoved() throws Exception {
    Writer w = writer("nginx", null);
    converge(w, ips("198.51.100.10"));
    Files.writeString(dir.resolve("allow.conf"), "allow all;\n", java.nio.file.StandardOpenOption.APPEND);
    Holding h = w.read();
    assertFalse(h.inSync(ips("198.51.100.10")));
    assertTrue(h.drift().get(0).contains("allow all;"), h.drift().toString());
    converge(w, ips("198.51.100.10"));
    assertFalse(Files.readString(dir.resolve("allow.conf")).contains("allow all;"));
  }

  @Test
  void onChangeRunsOnlyWhenTheFileChanges() throws Exception {
    Path counter = dir.resolve("runs");
    Writer w = writer("nginx", List.of("/bin/sh", "-c", "echo run >> " + counter));
    converge(w, ips("198.51.100.10"));
    converge(w, ips("198.51.100.10"));
    assertEquals(1, Files.readAllLines(counter).size());
    converge(w, ips("198.51.100.11"));
    assertEquals(2, Files.readAllLines(counter).size());
  }

  @Test
  void failingOnChangeIsAWriterFailureAndRestoresThePreviousFile() throws Exception {
    Writer ok = writer("nginx", null);
    converge(ok, ips("198.51.100.10"));
    String before = Files.readString(dir.resolve("allow.conf"));

    Writer w = writer("nginx", List.of("/bin/sh", "-c", "echo 'nginx: [emerg] bad' >&2; exit 1"));
    WriterException e = assertThrows(WriterException.class, () -> converge(w, ips("198.51.100.11")));
    assertTrue(e.getMessage().contains("nginx: [emerg] bad"), e.getMessage());
    assertTrue(e.getMessage().contains("previous file restored"), e.getMessage());
    assertEquals(before, Files.readString(dir.resolve("allow.conf")));
    assertFalse(w.read().inSync(ips("198.51.100.11")), "the next run tries again");
  }

  @Test
  void missingOnChangeProgramIsAClearFailure() throws Exception {
    Writer w = writer("plain", List.of("/nonexistent/reload"));
    WriterException e = assertThrows(WriterException.class, () -> converge(w, ips("198.51.100.10")));
    assertTrue(e.getMessage().contains("/nonexistent/reload"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("allow.conf")), "a first write is undone too");
  }

  @Test
  void checkFailsForMissingDirectory() {
    Writer w = FileWriterType.TYPE.create(new FileWriterType.Settings("/nonexistent-dir/allow.conf", null, null,
        null, null, null), new WriterContext(new ProcessCommandRunner(), dir, TreeSet::new));
    WriterException e = assertThrows(WriterException.class, w::check);
    assertTrue(e.getMessage().contains("/nonexistent-dir does not exist"), e.getMessage());
  }

  @Test
  void noTemporaryFilesAreLeftBehind() throws Exception {
    converge(writer("plain", null), ips("198.51.100.10"));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("allow.conf"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void unreadableTargetIsAWriterError() throws IOException {
    Files.createDirectory(dir.resolve("allow.conf"));
    assertThrows(WriterException.class, writer("plain", null)::check);
  }
}
