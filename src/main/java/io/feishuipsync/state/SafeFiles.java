package io.feishuipsync.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Opens the program's own files without following a link: a link or a hard link planted where a file of ours
 * belongs is refused, never used to read or write the file it leads to.
 */
public final class SafeFiles {

  private static final int TYPE = 0170000;
  private static final int REGULAR = 0100000;
  private static final int SYMLINK = 0120000;

  private SafeFiles() {}

  /** The whole of regular file {@code p}; a link, a device or a pipe in its place is an error naming it. */
  public static byte[] read(Path p) throws IOException {
    checkRegular(p, false);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(ch.size(), 1 << 20));
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (ch.read(buf) > 0) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      return out.toByteArray();
    }
  }

  /**
   * Fails unless {@code p} is a regular file, not reached through a symbolic link; with {@code singleLink}, also
   * unless it has no other name (a hard link to someone else's file would have us write that file).
   */
  public static void checkRegular(Path p, boolean singleLink) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,nlink", LinkOption.NOFOLLOW_LINKS);
    int type = (Integer) a.get("mode") & TYPE;
    if (type == SYMLINK) {
      throw new FileSystemException(p.toString(), null, "is a symbolic link; not followed");
    } else if (type != REGULAR) {
      throw new FileSystemException(p.toString(), null, "is not a regular file");
    } else if (singleLink && (Integer) a.get("nlink") != 1) {
      throw new FileSystemException(p.toString(), null, "has other hard links; not written through");
    }
  }
}
