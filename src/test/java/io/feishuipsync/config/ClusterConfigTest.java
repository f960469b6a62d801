package io.feishuipsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster:} section: absent means a single node; present, every key is checked and the password hidden. */
class ClusterConfigTest {

  @TempDir
  Path dir;

  final Map<String, String> env = new HashMap<>(Map.of("FEISHU_APP_SECRET", "app-secret-value"));

  Config parse(String cluster) {
    return new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, env::get).parse(ConfigLoaderTest.MINIMAL + cluster,
        dir.resolve("config.yaml"));
  }

  String error(String cluster) {
    return assertThrows(ConfigException.class, () -> parse(cluster)).getMessage();
  }

  @Test
  void aRemoteDatabaseWithoutServerVerificationIsWarnedAbout() {
    String rest = "\n  username: ipsync\n  password: pw-Very-Secret\n";
    java.util.Optional<String> plain = parse("cluster:\n  jdbc_url: jdbc:postgresql://10.0.0.5:5432/ipsync" + rest)
        .cluster().tlsWarning();
    assertTrue(plain.isPresent() && plain.get().contains("10.0.0.5:5432 is reached with sslmode=prefer, which does"
        + " not verify the server"), plain.toString());
    assertTrue(parse("cluster:\n  jdbc_url: jdbc:postgresql://db.example.com/ipsync?sslmode=require" + rest)
        .cluster().tlsWarning().orElse("").contains("sslmode=require"));
    assertEquals(java.util.Optional.empty(), parse("cluster:\n  jdbc_url: jdbc:postgresql://db.example.com:5432/ipsync"
        + "?sslmode=verify-full" + rest).cluster().tlsWarning());
    assertEquals(java.util.Optional.empty(), parse("cluster:\n  jdbc_url: jdbc:postgresql://127.0.0.1:5432/ipsync"
        + rest).cluster().tlsWarning());
  }

  @Test
  void withoutAClusterSectionThereIsNoCluster() {
    assertNull(parse("").cluster());
  }

  @Test
  void aClusterSectionGetsTheHostNameAndFifteenSecondsByDefault() throws IOException {
    ClusterSettings c = parse("cluster:\n  jdbc_url: jdbc:postgresql://127.0.0.1:5432/ipsync\n  username: ipsync\n"
        + "  password: pw-Very-Secret\n").cluster();
    assertEquals("jdbc:postgresql://127.0.0.1:5432/ipsync", c.jdbcUrl());
    assertEquals("ipsync", c.username());
    assertEquals("pw-Very-Secret", c.password().reveal());
    assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), c.nodeId());
    assertEquals(Duration.ofSeconds(15), c.checkinInterval());
    assertFalse(c.toString().contains("pw-Very-Secret"), c.toString());
  }

  @Test
  void thePasswordComesFromAFileOrASystemdCredential() throws IOException {
    Path file = Files.writeString(dir.resolve("db-password"), "from-file\n");
    assertEquals("from-file", parse("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n  username: u\n  password_file: "
        + file + "\n  node_id: bastion-a\n  checkin_interval: 2s\n").cluster().password().reveal());
    Path creds = Files.createDirectories(dir.resolve("creds"));
    Files.writeString(creds.resolve("cluster_password"), "from-credential");
    env.put("CREDENTIALS_DIRECTORY", creds.toString());
    ClusterSettings c = parse("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n  username: u\n  node_id: bastion-a\n"
        + "  checkin_interval: 2s\n").cluster();
    assertEquals("from-credential", c.password().reveal());
    assertEquals("bastion-a", c.nodeId());
    assertEquals(Duration.ofSeconds(2), c.checkinInterval());
  }

  @Test
  void everyBadKeyIsNamedAndNoPasswordIsRepeated() {
    String ok = "  username: u\n  password: pw-Very-Secret\n";
    assertTrue(error("cluster:\n  jdbc_url: jdbc:mysql://db/x\n" + ok)
        .endsWith("cluster.jdbc_url: must start with jdbc:postgresql://"));
    String inUrl = error("cluster:\n  jdbc_url: jdbc:postgresql://db/x?password=pw-Very-Secret\n" + ok);
    assertTrue(inUrl.contains("cluster.jdbc_url: must not hold the password"), inUrl);
    assertFalse(inUrl.contains("pw-Very-Secret"), inUrl);
    assertTrue(error("cluster:\n  jdbc_url: \"jdbc:postgresql://db/x y\"\n" + ok).contains("cluster.jdbc_url: is not"));
    assertTrue(error("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n  password: p\n")
        .endsWith("cluster.username: missing"));
    assertTrue(error("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n  username: u\n").contains(
        "cluster.password: missing; set password (e.g. ${FEISHU_IPSYNC_DB_PASSWORD}), password_file, or a systemd"
            + " credential named cluster_password"));
    assertTrue(error("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n" + ok + "  node_id: \"a b\"\n")
        .contains("cluster.node_id: is not a node id"));
    assertTrue(error("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n" + ok + "  checkin_interval: 500ms\n")
        .contains("cluster.checkin_interval"));
    assertTrue(error("cluster:\n  jdbc_url: jdbc:postgresql://db/x\n" + ok + "  pasword: x\n")
        .contains("pasword"));
  }
}
