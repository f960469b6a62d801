package io.feishuipsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package layers of src/main true: a package imports only packages of a lower layer, never one of its
 * own layer or above, and the package graph has no cycle. README's "Development" section draws the same list.
 */
class ArchitectureTest {

  /** Top to bottom. A package may use any package of a layer below its own, and nothing else. */
  static final List<Set<String>> LAYERS = List.of(
      Set.of("cli"),                        // commands; composes the writer registry and the wiring
      Set.of("daemon"),                     // the schedule, signals
      Set.of("config"),                     // reads the file into typed settings; the sections below check theirs
      Set.of("notify", "metrics"),          // report a run; each owns its settings type and checks
      Set.of("sync"),                       // one run: fetch, plan, apply, record
      // The Huawei Cloud SDK's side of its writer, in the SDK bundle's class loader: the writer reaches it by name.
      Set.of("writer.huaweicloud.sdk"),
      Set.of("source.feishu", "source.file", "source.github", "source.stripe", "source.url", "source.wechat",
          "source.wecom", "writer.aliyun", "writer.aws", "writer.dryrun", "writer.feed", "writer.file",
          "writer.firewalld", "writer.huaweicloud", "writer.iptables", "writer.nftables",
          "writer.tencent", "writer.volcengine"),
      // What the cloud writers share: the converge of marked rules in groups, prefix lists, throttled calls.
      Set.of("cloud", "cloud.huaweicloud"),
      // What the writer types share (WriterType, WriterContext, ports, names); the senders' HTTP client and
      // list formats.
      Set.of("writer", "source.http"),
      Set.of("source"),                     // what the sender types share: Source, SourceType, SourceContext
      Set.of("state"),                      // snapshot, history, status, lock, atomic files
      Set.of("core", "exec", "http"));      // addresses, change sets, plans, guards, the Writer and source seams

  /** Only the top composes the concrete writers; below it they are reached through the Writer seam. */
  static final Set<String> COMPOSERS = Set.of("cli");

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package io\\.feishuipsync\\.([a-z0-9.]+);");
  // An import or a qualified name: the package is what precedes the first capitalised segment.
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.feishuipsync\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");

  @Test
  void mainPackagesImportOnlyLowerLayersAndFormNoCycle() throws IOException {
    SortedMap<String, SortedSet<String>> graph = graph(Path.of("src/main/java"));
    assertTrue(graph.size() > 10, "read the sources: " + graph.keySet());
    assertEquals(List.of(), unplaced(graph), "every package of src/main has a layer in LAYERS");
    assertEquals(List.of(), violations(graph), "imports that do not point down");
    assertEquals(List.of(), cycles(graph), "package cycles");
  }

  @Test
  void anUpwardImportASameLayerImportAndAConcreteWriterBelowTheTopAreReported() {
    SortedMap<String, SortedSet<String>> g = new TreeMap<>(Map.of(
        "core", new TreeSet<>(Set.of("writer")),
        "writer.nftables", new TreeSet<>(Set.of("writer.file", "core")),
        "config", new TreeSet<>(Set.of("writer.aws", "writer"))));
    assertEquals(List.of("config -> writer.aws (a concrete writer; only cli composes them)",
        "core -> writer (writer is above core)", "writer.nftables -> writer.file (same layer)"), violations(g));
  }

  @Test
  void aCycleIsReportedWithItsPath() {
    SortedMap<String, SortedSet<String>> g = new TreeMap<>(Map.of(
        "a", new TreeSet<>(Set.of("b")), "b", new TreeSet<>(Set.of("c")), "c", new TreeSet<>(Set.of("a")),
        "d", new TreeSet<>(Set.of("a"))));
    assertEquals(List.of("a -> b -> c -> a"), cycles(g));
  }

  /** Package (relative to io.feishuipsync) to the other project packages its sources reference. */
  static SortedMap<String, SortedSet<String>> graph(Path root) throws IOException {
    SortedMap<String, SortedSet<String>> graph = new TreeMap<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(root)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : sources) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher pkg = PACKAGE.matcher(text);
      assertTrue(pkg.find(), file + ": no io.feishuipsync package line");
      SortedSet<String> uses = graph.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
      Matcher ref = REFERENCE.matcher(text.substring(pkg.end()));
      while (ref.find()) {
        if (!ref.group(1).equals(pkg.group(1))) {
          uses.add(ref.group(1));
        }
      }
    }
    return graph;
  }

  static List<String> unplaced(Map<String, SortedSet<String>> graph) {
    return graph.keySet().stream().filter(p -> layer(p) < 0).toList();
  }

  static List<String> violations(SortedMap<String, SortedSet<String>> graph) {
    List<String> out = new ArrayList<>();
    graph.forEach((from, targets) -> {
      for (String to : targets) {
        if (layer(from) < 0 || layer(to) < 0) {
          out.add(from + " -> " + to + " (no layer)");
        } else if (layer(to) < layer(from)) {
          out.add(from + " -> " + to + " (" + to + " is above " + from + ")");
        } else if (layer(to) == layer(from)) {
          out.add(from + " -> " + to + " (same layer)");
        } else if (to.startsWith("writer.") && !COMPOSERS.contains(from)) {
          out.add(from + " -> " + to + " (a concrete writer; only cli composes them)");
        }
      }
    });
    return out;
  }

  /** Each cycle once, as the path from its smallest package back to it. */
  static List<String> cycles(SortedMap<String, SortedSet<String>> graph) {
    List<String> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String start : graph.keySet()) {
      walk(graph, start, new ArrayList<>(List.of(start)), done, out);
      done.add(start);
    }
    return out;
  }

  private static void walk(Map<String, SortedSet<String>> graph, String at, List<String> path, Set<String> done,
      List<String> out) {
    for (String next : graph.getOrDefault(at, new TreeSet<>())) {
      if (next.equals(path.get(0))) {
        out.add(String.join(" -> ", path) + " -> " + next);
      } else if (!done.contains(next) && !path.contains(next) && next.compareTo(path.get(0)) > 0) {
        path.add(next);
        walk(graph, next, path, done, out);
        path.remove(path.size() - 1);
      }
    }
  }

  private static int layer(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(pkg)) {
        return i;
      }
    }
    return -1;
  }
}
