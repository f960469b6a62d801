package io.feishuipsync.writer.file;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.state.AtomicFiles;
import io.feishuipsync.state.DirectoryTrust;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the allowlist to a file atomically and runs an optional command after a change. When the command fails
 * the previous file is put back, so the next run writes it again and reruns the command.
 */
final class FileWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(FileWriter.class);

  private final Path path;
  private final FileFormat format;
  private final List<String> onChange;
  private final Duration timeout;
  private final int mode;
  private final boolean allowSharedDirectory;
  private final Path stateDir;
  private final CommandRunner runner;

  FileWriter(Path path, FileFormat format, List<String> onChange, Duration timeout, int mode,
      boolean allowSharedDirectory, Path stateDir, CommandRunner runner) {
    this.path = path;
    this.format = format;
    this.onChange = onChange;
    this.timeout = timeout;
    this.mode = mode;
    this.allowSharedDirectory = allowSharedDirectory;
    this.stateDir = stateDir;
    this.runner = runner;
  }

  @Override
  public String name() {
    return "file:" + path;
  }

  @Override
  public void check() throws WriterException {
    Path dir = path.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new WriterException(name(), "directory " + dir + " does not exist; create it, or point path elsewhere");
    }
    if (!Files.isWritable(dir)) {
      throw new WriterException(name(), "directory " + dir + " is not writable by this user; run as an account"
          + " that may write it, or point path elsewhere");
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new WriterException(name(), path + " is a directory; point path at a file, e.g. "
          + path.resolve("feishu-allow.conf"));
    }
    Optional<String> shared = DirectoryTrust.forProcess(stateDir).problem(dir);
    if (shared.isPresent() && !allowSharedDirectory) {
      throw new WriterException(name(), "refused: " + shared.get() + ", which could replace the allowlist or"
          + " redirect this write; set allow_shared_directory: true on this writer to accept it");
    }
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public Holding read() throws WriterException {
    if (Files.isSymbolicLink(path)) {
      // Never read through it (it may lead to any file); the next apply replaces the link by the file.
      return new Holding(new TreeSet<>(), List.of(path + " is a symbolic link, not the file this writer writes"));
    }
    String text;
    try {
      text = new String(SafeFiles.read(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Holding.of(new TreeSet<>());
    } catch (IOException e) {
      throw new WriterException(name(), "cannot read " + FileErrors.describe(e), e);
    }
    TreeSet<IpRange> entries = new TreeSet<>();
    List<String> drift = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty() || line.startsWith("#") || line.equals(format.footer().strip())) {
        continue;
      }
      Optional<IpRange> entry = format.entryText(line).flatMap(FileWriter::parse);
      if (entry.isPresent()) {
        entries.add(entry.get());
      } else {
        drift.add("foreign line in " + path + ": " + abbreviate(line));
      }
    }
    if (drift.isEmpty() && !text.equals(format.render(entries))) {
      drift.add(path + " is not in the form this writer writes");
    }
    return new Holding(entries, drift);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    byte[] previous = readBytes();
    try {
      AtomicFiles.write(path, format.render(desired).getBytes(StandardCharsets.UTF_8), mode);
    } catch (IOException e) {
      throw new WriterException(name(), "cannot write " + path + ": " + e.getMessage(), e);
    }
    if (onChange.isEmpty()) {
      return;
    }
    String failure = runOnChange();
    if (failure != null) {
      restore(previous);
      throw new WriterException(name(), "on_change command failed, previous file restored: " + failure);
    }
  }

  private String runOnChange() {
    try {
      CommandResult r = runner.run(onChange, new byte[0], timeout);
      if (!r.ok()) {
        return r.describeFailure();
      }
      log.info("{}: ran {}", name(), onChange.get(0));
      return null;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The file's content to put back if {@code on_change} fails; null when there is no file (or only a link). */
  private byte[] readBytes() throws WriterException {
    if (Files.isSymbolicLink(path)) {
      return null;
    }
    try {
      return SafeFiles.read(path);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new WriterException(name(), "cannot read " + FileErrors.describe(e), e);
    }
  }

  private void restore(byte[] previous) throws WriterException {
    try {
      if (previous == null) {
        Files.deleteIfExists(path);
      } else {
        AtomicFiles.write(path, previous, mode);
      }
    } catch (IOException e) {
      throw new WriterException(name(), "on_change failed and the previous file could not be restored: "
          + e.getMessage(), e);
    }
  }

  private static Optional<IpRange> parse(String text) {
    try {
      return Optional.of(IpRange.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String line) {
    String s = line.replaceAll("\\p{Cntrl}", "?");
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
