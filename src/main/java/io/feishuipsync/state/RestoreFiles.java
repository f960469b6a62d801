package io.feishuipsync.state;

import io.feishuipsync.core.RestoreStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The boot-time copy of what the local writers hold: in the state directory, one file per kernel tool input,
 * {@code restore-NN.TOOL}, loaded in name order by {@code feishu-ipsync-restore} (a shell script: no JVM, no
 * network) or by {@code feishu-ipsync restore}. Each file is exactly what the writer's last apply gave the tool.
 */
public final class RestoreFiles {

  /** The boot-time script reads the same names: keep them in step with deploy/debian/feishu-ipsync-restore. */
  private static final Pattern NAME = Pattern.compile("restore-([0-9]{2})\\.(nft|ipset|iptables|ip6tables)");
  private static final int MAX_STEPS = 100;
  /** Larger than the input for 100,000 IPv6 entries. */
  private static final long MAX_BYTES = 64L * 1024 * 1024;
  private static final int PRIVATE = 0600;

  private final StateStore store;

  public RestoreFiles(StateStore store) {
    this.store = store;
  }

  /** Where the files are, for messages. */
  public Path dir() {
    return store.dir();
  }

  /**
   * Makes the files hold {@code steps}, in order: each replaced atomically, and only when it changed; files of
   * steps no longer there are removed after the new ones are written.
   */
  public void save(List<RestoreStep> steps) throws IOException {
    if (steps.size() > MAX_STEPS) {
      throw new IOException("more than " + MAX_STEPS + " restore steps");
    }
    store.ensureDir();
    List<Path> kept = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      RestoreStep s = steps.get(i);
      Path p = store.dir().resolve(String.format("restore-%02d.%s", i, s.tool().suffix()));
      byte[] content = s.input().getBytes(StandardCharsets.UTF_8);
      if (!sameContent(p, content)) {
        AtomicFiles.write(p, content, PRIVATE);
      }
      kept.add(p);
    }
    for (Path p : existing().values()) {
      if (!kept.contains(p)) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Removes every file: after a teardown nothing is put back at boot. */
  public void remove() throws IOException {
    for (Path p : existing().values()) {
      Files.deleteIfExists(p);
    }
  }

  /**
   * The steps, in order, each read without following a link, within its size cap, and checked: an nft input that
   * would make nft read another file ({@code include}) is refused, since the restore may run as root, and so is a
   * state directory another account may write.
   */
  public List<RestoreStep> load() throws IOException {
    Optional<String> shared = DirectoryTrust.forProcess(store.dir()).problem(store.dir());
    if (shared.isPresent() && Files.isDirectory(store.dir())) {
      throw new FileSystemException(store.dir().toString(), null, shared.get()
          + "; another account could have planted the rules; not loaded");
    }
    List<RestoreStep> out = new ArrayList<>();
    for (Path p : existing().values()) {
      if (Files.size(p) > MAX_BYTES) {
        throw new FileSystemException(p.toString(), null, "is larger than " + MAX_BYTES + " bytes; not loaded");
      }
      String text = new String(SafeFiles.read(p), StandardCharsets.UTF_8);
      RestoreStep.Tool tool = tool(p).orElseThrow();
      if (tool == RestoreStep.Tool.NFT && text.lines().anyMatch(l -> l.strip().startsWith("include"))) {
        throw new FileSystemException(p.toString(), null, "asks nft to include another file; not loaded");
      }
      out.add(new RestoreStep(tool, text));
    }
    return out;
  }

  /** The files present, by step number. */
  private java.util.SortedMap<Integer, Path> existing() throws IOException {
    TreeMap<Integer, Path> out = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(store.dir(), "restore-*")) {
      for (Path p : files) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    return out;
  }

  private static Optional<RestoreStep.Tool> tool(Path p) {
    String name = p.getFileName().toString();
    String suffix = name.substring(name.indexOf('.') + 1);
    return Arrays.stream(RestoreStep.Tool.values()).filter(t -> t.suffix().equals(suffix)).findFirst();
  }

  private static boolean sameContent(Path p, byte[] content) {
    try {
      return Files.size(p) == content.length && Arrays.equals(SafeFiles.read(p), content);
    } catch (IOException e) {
      return false;
    }
  }
}
