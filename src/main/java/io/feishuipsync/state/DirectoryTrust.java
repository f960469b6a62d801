package io.feishuipsync.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which directories this process may write into (and follow links in) without another account being able to
 * redirect or replace what it writes: the directory and every one above it must be owned by root or by the
 * program's own account, and must not be writable by group or others unless the sticky bit is set (as on
 * {@code /tmp}, where nobody may rename or delete another account's file).
 */
public final class DirectoryTrust {

  private static final int TYPE = 0170000;
  private static final int SYMLINK = 0120000;
  private static final int STICKY = 01000;

  private final Set<Integer> owners;

  DirectoryTrust(Set<Integer> owners) {
    this.owners = Set.copyOf(owners);
  }

  /**
   * Root and this process's effective user; for a process running as root also the owner of {@code stateDir}
   * (null for none): the service account, whose directories a {@code sync} run by hand as root shares and which
   * already holds the firewall.
   */
  public static DirectoryTrust forProcess(Path stateDir) {
    Set<Integer> owners = new TreeSet<>(List.of(0));
    int euid = effectiveUid();
    if (euid >= 0) {
      owners.add(euid);
    }
    if (euid == 0 && stateDir != null) {
      try {
        owners.add((Integer) Files.getAttribute(stateDir, "unix:uid"));
      } catch (IOException | RuntimeException e) {
        // No state directory yet: it will be created by this process, so its owner is already trusted.
      }
    }
    return new DirectoryTrust(owners);
  }

  /**
   * Why {@code dir} (or a directory above it, or above the directory a link in its path leads to) may be written by
   * another account, as one line naming that directory, its owner and its mode; empty when it may not.
   */
  public Optional<String> problem(Path dir) {
    for (Path p : lineage(dir)) {
      Map<String, Object> a;
      try {
        a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException | RuntimeException e) {
        return Optional.of("directory " + p + " cannot be inspected: " + describe(e));
      }
      int mode = (Integer) a.get("mode");
      if ((mode & TYPE) == SYMLINK) {
        // The link's own bits mean nothing; its directory is checked here and its target in the real path.
        continue;
      }
      String what;
      if (!owners.contains((Integer) a.get("uid"))) {
        what = "belongs to another account";
      } else if ((mode & 0022) != 0 && (mode & STICKY) == 0) {
        what = (mode & 0002) != 0 ? "is writable by every account" : "is writable by its group";
      } else {
        continue;
      }
      return Optional.of(String.format(Locale.ROOT, "directory %s (owner %s, mode %04o) %s", p, ownerName(p),
          mode & 07777, what));
    }
    return Optional.empty();
  }

  /** {@code dir} and its parents, nearest first, then those of its real path where links make it differ. */
  private static List<Path> lineage(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      out.add(p);
    }
    try {
      for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
        if (!out.contains(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      // Not there yet: whoever creates it is checked when it exists.
    }
    return out;
  }

  private static String ownerName(Path p) {
    try {
      return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String describe(Exception e) {
    return e instanceof IOException io ? FileErrors.describe(io) : e.getClass().getSimpleName();
  }

  /** The effective uid from {@code /proc/self/status}, or -1 where there is none. */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: trust root alone.
    }
    return -1;
  }
}
