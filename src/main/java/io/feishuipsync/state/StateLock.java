package io.feishuipsync.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One instance per state directory: an exclusive lock on {@code <state_dir>/lock}, released by the kernel when the
 * process dies, so a crash never leaves a stale lock behind.
 */
public final class StateLock implements AutoCloseable {

  /** Another process (or this one) holds the lock. */
  public static final class HeldException extends Exception {
    HeldException(String message) {
      super(message);
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails at once, naming the holder's pid when known. */
  public static StateLock acquire(StateStore store) throws IOException, HeldException {
    store.ensureDir();
    Path p = store.dir().resolve("lock");
    FileChannel ch;
    try {
      ch = FileChannel.open(p, Set.<OpenOption>of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new IOException(Files.isSymbolicLink(p) ? p + ": is a symbolic link; not followed"
          : FileErrors.describe(e), e);
    }
    try {
      // Checked before the pid is written into it: a hard link would have us truncate another file.
      SafeFiles.checkRegular(p, true);
    } catch (IOException e) {
      ch.close();
      throw new IOException(FileErrors.describe(e), e);
    }
    AtomicFiles.matchOwner(p, store.dir());
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder = readPid(ch);
      ch.close();
      throw new HeldException("another feishu-ipsync" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
          + " is running on " + store.dir() + "; only one may run at a time");
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    return new StateLock(ch, lock);
  }

  private static String readPid(FileChannel ch) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      ch.read(buf, 0);
      return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
