package io.feishuipsync.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The state directory: {@code snapshot.json} (the last applied list), {@code history.jsonl} (every applied change)
 * and {@code status.json} (the last run). Files are private to the service user and replaced atomically.
 */
public final class StateStore implements SyncState {

  static final String SNAPSHOT = "snapshot.json";
  static final String HISTORY = "history.jsonl";
  /** Longer than a history line for 100,000 IPv6 entries. */
  private static final long MAX_HISTORY_LINE = 64L * 1024 * 1024;
  static final String STATUS = "status.json";
  private static final int FORMAT_VERSION = 1;
  private static final int PRIVATE = 0600;

  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public StateStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String where() {
    return dir.toString();
  }

  /**
   * The snapshot as loaded: present, absent, or unusable (with the reason). An unusable snapshot is not fatal: the
   * next successful apply replaces it.
   *
   * @param snapshot the snapshot, when usable
   * @param problem why there is none ("no snapshot yet", "corrupt: ..."), or null
   */
  public record Loaded(Optional<Snapshot> snapshot, String problem) {

    /** True when there is simply no snapshot yet (a first run), as opposed to an unusable one. */
    public boolean firstRun() {
      return snapshot.isEmpty() && problem != null && problem.startsWith("no snapshot yet");
    }

    /** The entries of the snapshot, empty when there is none. */
    public SortedSet<IpRange> entries() {
      return snapshot.map(Snapshot::entries).orElseGet(TreeSet::new);
    }
  }

  /** Reads the snapshot; never throws. */
  @Override
  public Loaded loadSnapshot() {
    Path p = dir.resolve(SNAPSHOT);
    byte[] bytes;
    try {
      bytes = SafeFiles.read(p);
    } catch (NoSuchFileException e) {
      return new Loaded(Optional.empty(), "no snapshot yet (" + p + ")");
    } catch (IOException e) {
      return new Loaded(Optional.empty(), "cannot read " + FileErrors.describe(e));
    }
    return parseSnapshot(bytes, p.toString());
  }

  /** The snapshot in {@code bytes} (as {@link #snapshotBytes} writes it); {@code where} names it in problems. */
  static Loaded parseSnapshot(byte[] bytes, String where) {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject() || root.path("version").asInt(-1) != FORMAT_VERSION
          || !root.path("entries").isArray() || !root.path("count").isInt()) {
        return new Loaded(Optional.empty(), where + " is not a feishu-ipsync snapshot; ignoring it");
      }
      TreeSet<IpRange> entries = new TreeSet<>();
      for (JsonNode e : root.get("entries")) {
        entries.add(IpRange.parse(e.asText()));
      }
      if (entries.size() != root.get("count").asInt()) {
        return new Loaded(Optional.empty(), where + " is inconsistent (count differs from entries); ignoring it");
      }
      Instant fetched = Instant.parse(root.path("fetched_at").asText());
      return new Loaded(Optional.of(new Snapshot(entries, fetched, root.path("source").asText(""),
          SnapshotParts.sources(root.path("sources")), SnapshotParts.pending(root.path("pending")))), null);
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      return new Loaded(Optional.empty(), where + " is corrupt (" + e.getClass().getSimpleName() + "); ignoring it");
    }
  }

  /** Replaces the snapshot atomically. */
  @Override
  public void saveSnapshot(Snapshot s) throws IOException {
    write(SNAPSHOT, snapshotBytes(s));
  }

  /** The snapshot as snapshot.json holds it; the cluster database stores the same text. */
  static byte[] snapshotBytes(Snapshot s) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", FORMAT_VERSION);
    root.put("fetched_at", s.fetchedAt().toString());
    root.put("source", s.source());
    root.put("count", s.entries().size());
    ArrayNode arr = root.putArray("entries");
    s.entries().forEach(r -> arr.add(r.toString()));
    SnapshotParts.write(s, root);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  /** Appends one applied change to the history, durably. */
  @Override
  public void appendHistory(Instant time, ChangeSet change, int total, String source,
      java.util.Map<IpRange, java.util.List<String>> origins) throws IOException {
    ensureDir();
    ObjectNode line = historyLine(time, change, total, source, origins);
    Path p = dir.resolve(HISTORY);
    try {
      Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // Appended to below, once it is known to be our own file.
    }
    SafeFiles.checkRegular(p, true);
    AtomicFiles.matchOwner(p, dir);
    LastLine last = lastLine(p);
    if (last.line() != null && sameChange(last.line(), line)) {
      // A run killed after this line but before its snapshot: the next run finds the same change to record.
      return;
    }
    try (OutputStream out = Channels.newOutputStream(FileChannel.open(p, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND, StandardOpenOption.SYNC, LinkOption.NOFOLLOW_LINKS))) {
      // A line torn by a crash stays a line of its own instead of swallowing this one.
      out.write(((last.torn() ? "\n" : "") + JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The last complete line of history, parsed (null if none or unreadable), and whether a torn line follows it. */
  private record LastLine(JsonNode line, boolean torn) {}

  private static LastLine lastLine(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long end = ch.size();
      if (end == 0) {
        return new LastLine(null, false);
      }
      if (readAt(ch, end - 1, 1)[0] != '\n') {
        return new LastLine(null, true);
      }
      // Read backwards in blocks until the newline before the last line (or the start of the file).
      long start = 0;
      int blockSize = 64 * 1024;
      for (long pos = end - 1; pos > 0 && start == 0 && end - pos < MAX_HISTORY_LINE; ) {
        int n = (int) Math.min(blockSize, pos);
        pos -= n;
        byte[] block = readAt(ch, pos, n);
        for (int i = n - 1; i >= 0; i--) {
          if (block[i] == '\n') {
            start = pos + i + 1;
            break;
          }
        }
      }
      if (end - 1 - start > MAX_HISTORY_LINE) {
        return new LastLine(null, false);
      }
      byte[] bytes = readAt(ch, start, (int) (end - 1 - start));
      try {
        return new LastLine(JSON.readTree(bytes), false);
      } catch (IOException e) {
        return new LastLine(null, false);
      }
    }
  }

  private static byte[] readAt(FileChannel ch, long pos, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new EOFException("history.jsonl shrank while being read");
      }
    }
    return buf.array();
  }

  /** One line of history.jsonl; the cluster database stores the same text. */
  static ObjectNode historyLine(Instant time, ChangeSet change, int total, String source,
      java.util.Map<IpRange, java.util.List<String>> origins) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", time.toString());
    line.put("total", total);
    ArrayNode added = line.putArray("added");
    change.added().forEach(r -> added.add(r.toString()));
    ArrayNode removed = line.putArray("removed");
    change.removed().forEach(r -> removed.add(r.toString()));
    line.put("source", source);
    if (!origins.isEmpty()) {
      ObjectNode by = line.putObject("origins");
      origins.forEach((r, labels) -> labels.forEach(by.withArray(r.toString())::add));
    }
    return line;
  }

  static boolean sameChange(JsonNode a, JsonNode b) {
    return a.path("added").equals(b.path("added")) && a.path("removed").equals(b.path("removed"))
        && a.path("total").equals(b.path("total"));
  }

  /** Writes the status of the last run. */
  @Override
  public void saveStatus(Status status) throws IOException {
    write(STATUS, StatusFile.bytes(status));
  }

  /** The status of the last run, if any and readable ({@link StatusFile} says how leniently). */
  @Override
  public Optional<Status> loadStatus() {
    try {
      return StatusFile.read(SafeFiles.read(dir.resolve(STATUS)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Creates the state directory, private to the service user, when it does not exist; refuses one that another
   * account may write (it could swap the snapshot or plant links), naming the directory, its owner and mode.
   */
  public void ensureDir() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Optional<String> shared = DirectoryTrust.forProcess(dir).problem(dir);
    if (shared.isPresent()) {
      throw new IOException(shared.get() + "; another account could replace the state files or redirect them");
    }
  }

  private void write(String name, byte[] content) throws IOException {
    ensureDir();
    AtomicFiles.write(dir.resolve(name), content, PRIVATE);
  }

  static ObjectMapper json() {
    return JSON;
  }
}
