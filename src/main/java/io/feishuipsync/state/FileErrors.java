package io.feishuipsync.state;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** One readable line for a file-system failure: Java's own message for some of them is only the path. */
public final class FileErrors {

  private FileErrors() {}

  /** E.g. {@code /var/lib/feishu-ipsync/lock: permission denied (owned by root)}. */
  public static String describe(IOException e) {
    if (!(e instanceof FileSystemException fse) || fse.getFile() == null) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return fse.getFile() + (fse.getOtherFile() == null ? "" : " -> " + fse.getOtherFile()) + ": " + reason(fse);
  }

  /** The failure without the path, e.g. {@code No space left on device} or {@code permission denied (owned by root)}. */
  public static String reason(FileSystemException e) {
    String reason = e.getReason() != null ? e.getReason().strip() : reasonOf(e);
    return e instanceof AccessDeniedException && e.getFile() != null ? reason + owner(e.getFile()) : reason;
  }

  private static String reasonOf(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    } else if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    } else if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    } else if (e instanceof NotDirectoryException) {
      return "not a directory";
    } else if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    return e.getClass().getSimpleName();
  }

  private static String owner(String file) {
    try {
      return " (owned by " + Files.getOwner(Path.of(file)).getName() + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
