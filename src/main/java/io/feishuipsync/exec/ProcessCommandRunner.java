package io.feishuipsync.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs real processes, without a shell. Children get a minimal environment (PATH and the C locale): nothing the
 * daemon was started with, such as a secret passed in a variable, reaches them.
 */
public final class ProcessCommandRunner implements CommandRunner {

  @Override
  public CommandResult run(List<String> argv, byte[] stdin, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    String path = pb.environment().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().clear();
    pb.environment().put("PATH", path);
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + argv.get(0) + ": " + rootMessage(e), e);
    }
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // The program exited without reading all input; its exit code and stderr tell why.
    }
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      throw new IOException(argv.get(0) + " did not finish within " + timeout.toSeconds() + "s and was killed");
    }
    return new CommandResult(List.copyOf(argv), p.exitValue(), text(out), text(err));
  }

  private static CompletableFuture<byte[]> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
        s.transferTo(b);
        return b.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String text(CompletableFuture<byte[]> f) throws InterruptedException {
    try {
      return new String(f.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return "";
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
