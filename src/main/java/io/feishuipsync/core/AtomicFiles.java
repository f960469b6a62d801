package io.feishuipsync.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Replaces files so that a reader, or a crash at any instant, sees the old content or the new, never a mix. */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Writes {@code content} to a temporary file beside {@code target}, flushes it to disk, and renames it over the
   * target; on failure the target is untouched and the temporary file removed. Temporary files that killed
   * processes left beside the target are removed first.
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
    Path dir = target.toAbsolutePath().getParent();
    String prefix = "." + target.getFileName() + ".tmp-";
    removeLeftovers(dir, prefix);
    Path tmp = dir.resolve(prefix + ProcessHandle.current().pid());
    try {
      try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(permissions(mode)))) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // The umask may have narrowed the create mode; set exactly what was asked.
      Files.setPosixFilePermissions(tmp, permissions(mode));
      matchOwner(tmp, Files.exists(target) ? target : dir);
      try {
        renamer.rename(tmp, target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
      syncDirectory(dir);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e instanceof FileSystemException fse ? new IOException(FileErrors.reason(fse) + " (" + target + ")", e) : e;
    }
  }

  /**
   * Gives {@code file} the owner and group of {@code like} where they differ, so that a file root writes (say, a
   * manual {@code sync}) stays usable by the service user who owns the directory. Best effort: a process that may
   * not chown leaves the file as it is.
   */
  public static void matchOwner(Path file, Path like) {
    try {
      PosixFileAttributes want = Files.readAttributes(like, PosixFileAttributes.class);
      PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      PosixFileAttributes have = view.readAttributes();
      if (!have.owner().equals(want.owner())) {
        view.setOwner(want.owner());
      }
      if (!have.group().equals(want.group())) {
        view.setGroup(want.group());
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not allowed to chown (not root): the file keeps its writer's ownership.
    }
  }

  /** Deletes {@code prefix}PID files whose process is gone (killed between write and rename); best effort. */
  private static void removeLeftovers(Path dir, String prefix) {
    try (var files = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : files) {
        String pid = p.getFileName().toString().substring(prefix.length());
        if (!pid.matches("[0-9]{1,18}") || ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
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

  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder sb = new StringBuilder();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(sb.toString());
  }
}
