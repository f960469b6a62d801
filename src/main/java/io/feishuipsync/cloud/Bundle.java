package io.feishuipsync.cloud;

import io.feishuipsync.core.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A cloud SDK that cannot share the application's class path, in a class loader of its own. The Huawei Cloud SDK
 * needs OkHttp 4 (Kotlin), while Alibaba's and Tencent's need OkHttp 3 in the same package names; rather than force
 * one version on SDKs built and tested against another, each such SDK ships as a bundle of jars in
 * {@code bundles/<name>/} beside the application's jar (beside {@code target/classes} in a build), and its classes
 * and those of its HTTP stack are loaded from there first ("child first"); everything else (this application,
 * Jackson, SLF4J) comes from the application, so the writer and its SDK adapter share their types.
 *
 * <p>The bundle is code this process runs: its directory and jars must not be writable by anyone but their owner,
 * and their owner must be root or the account this process runs as; a link is not followed.
 */
public final class Bundle {

  /** One loader per bundle for the life of the process: each holds its SDK's classes once, however many writers. */
  private static final Map<Path, ClassLoader> LOADED = new ConcurrentHashMap<>();

  private Bundle() {}

  /**
   * A loader for bundle {@code name} whose classes under {@code isolated} (package prefixes, e.g. {@code okhttp3.})
   * are its own; {@code anchor} is a class of this application, whose location says where the bundles lie.
   */
  public static ClassLoader loader(String name, Class<?> anchor, List<String> isolated) {
    return LOADED.computeIfAbsent(directory(anchor).resolve(name), dir -> loader(name, dir, anchor, isolated));
  }

  /** The loader of bundle {@code name} in {@code dir}. */
  static ClassLoader loader(String name, Path dir, Class<?> anchor, List<String> isolated) {
    List<URL> urls = new ArrayList<>();
    try {
      check(dir, true);
      try (Stream<Path> jars = Files.list(dir)) {
        for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
          check(jar, false);
          urls.add(jar.toUri().toURL());
        }
      }
      // The application's own adapter classes of the bundle are defined in the bundle's loader too.
      urls.add(anchor.getProtectionDomain().getCodeSource().getLocation());
    } catch (IOException e) {
      throw new ConfigException("type", "the " + name + " SDK bundle in " + dir + " cannot be read ("
          + e.getMessage() + "); reinstall the package");
    }
    if (urls.size() < 2) {
      throw new ConfigException("type", "the " + name + " SDK bundle in " + dir + " holds no jar; reinstall the"
          + " package");
    }
    return new ChildFirst(urls.toArray(URL[]::new), anchor.getClassLoader(), List.copyOf(isolated));
  }

  /** {@code bundles/} beside the jar or class directory {@code anchor} was loaded from. */
  static Path directory(Class<?> anchor) {
    try {
      Path from = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      return from.toAbsolutePath().getParent().resolve("bundles");
    } catch (URISyntaxException | RuntimeException e) {
      throw new ConfigException("type", "cannot tell where this program was loaded from, so not where its SDK"
          + " bundles are: " + e.getMessage());
    }
  }

  /** Refuses a bundle file or directory that is a link, or that someone else could have written. */
  private static void check(Path p, boolean directory) throws IOException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      return;
    }
    if (a.isSymbolicLink() || (directory ? !a.isDirectory() : !a.isRegularFile())) {
      throw new ConfigException("type", "the SDK bundle path " + p + " is not a plain " + (directory ? "directory"
          : "file") + "; it is not loaded");
    }
    Set<PosixFilePermission> perms = a.permissions();
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new ConfigException("type", "the SDK bundle path " + p + " may be written by its group or by anyone"
          + " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); it is not loaded");
    }
    String owner = a.owner().getName();
    if (!owner.equals("root") && !owner.equals(System.getProperty("user.name"))) {
      throw new ConfigException("type", "the SDK bundle path " + p + " belongs to " + owner + ", not to root or to"
          + " this account; it is not loaded");
    }
  }

  /** Loads the isolated packages from its own jars first; everything else from the application first. */
  private static final class ChildFirst extends URLClassLoader {

    static {
      registerAsParallelCapable();
    }

    private final List<String> isolated;

    ChildFirst(URL[] urls, ClassLoader parent, List<String> isolated) {
      super("bundle", urls, parent);
      this.isolated = isolated;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (isolated.stream().noneMatch(name::startsWith)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    public URL getResource(String name) {
      String asClass = name.replace('/', '.');
      if (isolated.stream().anyMatch(asClass::startsWith)) {
        URL own = findResource(name);
        if (own != null) {
          return own;
        }
      }
      return super.getResource(name);
    }
  }

}
