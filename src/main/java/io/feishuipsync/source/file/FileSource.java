package io.feishuipsync.source.file;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.http.ListFormat;
import io.feishuipsync.state.FileErrors;
import io.feishuipsync.state.SafeFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.SortedSet;

/**
 * The list in one local file. Neither the file nor a directory on its path may be a symbolic link, nor may every
 * account write the file: what another account planted there would choose what this host admits. The file is read whole up to a cap and every entry
 * checked; a file that cannot be read is a failure of the source, its last good list kept.
 */
final class FileSource implements Source {

  static final int MAX_BYTES = 16 << 20;

  private final Path path;
  private final ListFormat format;
  private final Clock clock;

  FileSource(Path path, ListFormat format, Clock clock) {
    this.path = path;
    this.format = format;
    this.clock = clock;
  }

  @Override
  public SourceList fetch() throws SourceException {
    Instant begun = clock.instant();
    byte[] body;
    try {
      Path real = path.toRealPath();
      if (!real.equals(path)) {
        throw new SourceException("cannot read " + path + ": a link on its path leads to " + real
            + "; not followed", null);
      }
      SafeFiles.checkRegular(path, false);
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
        // Any account could choose what this host admits: the list is not taken, its last good one stays.
        throw new SourceException("will not read " + path + ": every account may write it (mode "
            + PosixFilePermissions.toString(mode) + "); take write access from others (chmod o-w)", null);
      }
      body = read(path);
    } catch (IOException e) {
      throw new SourceException("cannot read " + path + ": " + FileErrors.describe(e), null);
    }
    SortedSet<IpRange> entries = format.read(body, "the file " + path);
    return new SourceList(entries, "file:" + path, begun, 0);
  }

  private static byte[] read(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      int n;
      while ((n = ch.read(buf)) >= 0) {
        if (out.size() + n > MAX_BYTES) {
          throw new IOException("larger than " + MAX_BYTES + " bytes; not a list of addresses");
        }
        out.write(buf.array(), 0, n);
        buf.clear();
      }
      return out.toByteArray();
    }
  }
}
