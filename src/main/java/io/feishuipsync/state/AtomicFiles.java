package io.feishuipsync.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces files so that a reader, or a crash at any instant, sees the old content or the new, never a mix; and so
 * that a link planted beside the target is never followed.
 */
public final class AtomicFiles {

  /** {@code -PID-RANDOM} after the prefix; plain {@code -PID} is what older versions left behind. */
  private static final Pattern SUFFIX = Pattern.compile("([0-9]{1,18})(-[0-9a-f]{16})?");
  /** A write takes seconds: a temporary file this old is a leftover whatever its pid says (pids are reused). */
  private static final Duration STALE = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Writes {@code content} to a new temporary file beside {@code target}, flushes it to disk, and renames it over
   * the target; on failure the target is untouched and the temporary file removed. A target that is a link is
   * replaced by the file, never followed. Temporary files that killed processes left beside the target are removed
   * first.
   *
   * @param mode POSIX permission bits of the new file, e.g. {@code 0600}
   */
  public static void write(Path target, byte[] content, int mode) throws IOException {
    write(target, content, mode, (from, to) ->
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
  }

  /** The rename step, a seam so tests can fail between the temporary write and the rename. */
  @FunctionalInterface
  interface Renamer {
    void rename(Path from, Path to) throws IOException;
  }

  static void write(Path target, byte[] content, int mode, Renamer renamer) throws IOException {
    // Unpredictable, and created only if absent without following a link: nothing can be planted at this name.
    write(target, content, mode, renamer, HexFormat.of().formatHex(randomBytes()));
  }

  /** {@code random}: 16 hex digits naming the temporary file, a seam for tests. */
  static void write(Path target, byte[] content, int mode, Renamer renamer, String random) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    String prefix = "." + target.getFileName() + ".tmp-";
    removeLeftovers(dir, prefix);
    Path tmp = dir.resolve(prefix + ProcessHandle.current().pid() + "-" + random);
    FileChannel ch;
    try {
      ch = FileChannel.open(tmp, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(permissions(mode)));
    } catch (IOException e) {
      // Whatever is at that name is not ours: leave it.
      throw wrapped(e, target);
    }
    try {
      Object created;
      try (ch) {
        created = fileKey(tmp);
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (!Objects.equals(created, fileKey(tmp))) {
        throw new FileSystemException(tmp.toString(), null, "was replaced while being written");
      }
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      // The umask may have narrowed the create mode; set exactly what was asked (on the file, never a link).
      view.setPermissions(permissions(mode));
      setOwner(view, dir, target);
      try {
        renamer.rename(tmp, target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
      syncDirectory(dir);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw wrapped(e, target);
    }
  }

  private static IOException wrapped(IOException e, Path target) {
    return e instanceof FileSystemException fse ? new IOException(FileErrors.reason(fse) + " (" + target + ")", e) : e;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private static Object fileKey(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  /**
   * Gives {@code file} (never a link's target) the owner and group of {@code dir} where they differ, so that a file
   * root writes (say, a manual {@code sync}) stays usable by the service user who owns the directory. Best effort:
   * a process that may not chown leaves the file as it is.
   */
  public static void matchOwner(Path file, Path dir) {
    setOwner(Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS), dir, null);
  }

  /**
   * The owner of {@code dir}, and the group of the {@code replaced} file when that owner already owns it (a group
   * chosen for a reader, e.g. {@code www-data}); a file someone else left in a shared directory hands them nothing.
   */
  private static void setOwner(PosixFileAttributeView view, Path dir, Path replaced) {
    try {
      PosixFileAttributes want = Files.readAttributes(dir, PosixFileAttributes.class);
      var group = want.group();
      if (replaced != null) {
        try {
          PosixFileAttributes old = Files.readAttributes(replaced, PosixFileAttributes.class,
              LinkOption.NOFOLLOW_LINKS);
          if (old.isRegularFile() && old.owner().equals(want.owner())) {
            group = old.group();
          }
        } catch (IOException e) {
          // Nothing replaced yet.
        }
      }
      PosixFileAttributes have = view.readAttributes();
      if (!have.owner().equals(want.owner())) {
        view.setOwner(want.owner());
      }
      if (!have.group().equals(group)) {
        view.setGroup(group);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not allowed to chown (not root): the file keeps its writer's ownership.
    }
  }

  /**
   * Deletes regular files named {@code prefix}PID[-RANDOM] left by a process that is gone (killed between write and
   * rename), by this one, or older than any write takes; never follows a link. Best effort.
   */
  private static void removeLeftovers(Path dir, String prefix) {
    long self = ProcessHandle.current().pid();
    FileTime stale = FileTime.from(Instant.now().minus(STALE));
    try (var files = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : files) {
        Matcher m = SUFFIX.matcher(p.getFileName().toString().substring(prefix.length()));
        if (!m.matches()) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          long pid = Long.parseLong(m.group(1));
          if (a.isRegularFile() && (pid == self || ProcessHandle.of(pid).isEmpty()
              || a.lastModifiedTime().compareTo(stale) < 0)) {
            Files.deleteIfExists(p);
          }
        } catch (IOException | RuntimeException e) {
          // Gone meanwhile, or not ours to delete.
        }
      }
    } catch (IOException | RuntimeException e) {
      // Leftovers are harmless: the next write tries again.
    }
  }

  /** Makes a rename in {@code dir} durable; best effort where the platform cannot open directories. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder sb = new StringBuilder();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(sb.toString());
  }
}
