package io.feishuipsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.FaultProxy;
import io.feishuipsync.testbed.Held;
import io.feishuipsync.testbed.LinkedNamespace;
import io.feishuipsync.testbed.PostgresServer;
import io.feishuipsync.testbed.StampedProcess;
import io.feishuipsync.testbed.Testbed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Cluster mode over a faulty link: two daemons of the packaged jar in a network namespace of the test's own reach
 * Feishu's stand-in, the shared PostgreSQL and moto (the cloud) on the host over one veth pair, each through a
 * proxy. With 30 % loss on the link, and then with the database cut off from the node that runs the cluster job (the
 * other node keeps it and takes the job over), the security group ends in the new list, no two nodes ever change it
 * at the same time (each node signs with its own key, and the
 * proxy in front of moto records who changed what when), and the cluster's history replays to what the group holds.
 */
class ClusterNetworkFaultsIT {

  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();
  @RegisterExtension
  static final Testbed bed = Testbed.motoPerClass();
  @RegisterExtension
  static final LinkedNamespace ns = new LinkedNamespace();
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  static Ec2Client ec2;

  @TempDir
  Path dir;
  Ec2Proxy cloud;
  final List<FaultProxy> proxies = new ArrayList<>();
  final List<StampedProcess> nodes = new ArrayList<>();
  String url;
  String group;

  @BeforeAll
  static void client() {
    ec2 = Ec2Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(bed.motoEndpoint()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTADMIN00000", SECRET)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @BeforeEach
  void setUp() throws Exception {
    ns.heal();
    cloud = new Ec2Proxy(bed.motoEndpoint());
    url = db.newDatabase();
    String vpc = ec2.createVpc(b -> b.cidrBlock("198.18.0.0/16")).vpc().vpcId();
    group = ec2.createSecurityGroup(b -> b.groupName("callback-" + System.nanoTime()).description("callback")
        .vpcId(vpc)).groupId();
    feishu.entries(FakeFeishu.docAddresses(30));
    Files.writeString(dir.resolve("db-password"), PostgresServer.PASSWORD);
    Files.setPosixFilePermissions(dir.resolve("db-password"), PosixFilePermissions.fromString("rw-------"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (StampedProcess p : nodes) {
      p.close();
      Files.writeString(Path.of("target", "network-faults-node-" + (nodes.indexOf(p) + 1) + ".log"), p.output());
      List<String> out = p.lines().stream().map(StampedProcess.Line::text).toList();
      System.out.println("--- node " + p.pid() + " (last 40 lines)");
      out.subList(Math.max(0, out.size() - 40), out.size()).forEach(System.out::println);
    }
    proxies.forEach(FaultProxy::close);
    cloud.close();
    ns.heal();
  }

  /** A proxy on the far end of the link for the loopback server on {@code port}; its port. */
  int across(int port) throws IOException {
    FaultProxy p = new FaultProxy(LinkedNamespace.FAR, port);
    proxies.add(p);
    return p.port();
  }

  void start(int i, int feishuPort, int dbPort, int cloudPort) throws IOException {
    Path home = Files.createDirectories(dir.resolve("node-" + i));
    String far = LinkedNamespace.FAR;
    String jdbc = url.replace("127.0.0.1:" + db.port(), far + ":" + dbPort);
    TestConfig.pointedAt("http://" + far + ":" + feishuPort, home.resolve("state"))
        .feishu("connect_timeout: 2s\nresponse_timeout: 3s\nmax_attempts: 3\nmax_retry_time: 6s")
        .section("schedule:\n  cron: \"*/2 * * * * ?\"\n  retry_after: 1s")
        .section("cluster:\n  jdbc_url: " + jdbc + "\n  username: " + PostgresServer.USER + "\n  password_file: "
            + dir.resolve("db-password") + "\n  node_id: node-" + i + "\n  checkin_interval: 2s")
        .fileWriter(home.resolve("allow.conf"), "")
        .writer("type: aws-security-group\ngroup_ids: [" + group + "]\nports: [\"443\"]\nregion: eu-west-1\n"
            + "endpoint: http://" + far + ":" + cloudPort + "\naccess_key_id: " + keyOf(i) + "\nsecret_access_key: "
            + SECRET)
        .writeTo(home.resolve("config.yaml"));
    nodes.add(StampedProcess.start(ns.command(StampedProcess.jar("--config", home.resolve("config.yaml").toString(),
        "run").toArray(String[]::new)), Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET)));
  }

  static String keyOf(int node) {
    return "AKIANODE" + node + "0000000000";
  }

  SortedSet<IpRange> fileOf(int i) {
    try {
      return Files.readAllLines(dir.resolve("node-" + i + "/allow.conf")).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).map(IpRange::parse)
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      return new TreeSet<>();
    }
  }

  SortedSet<IpRange> groupHolds() {
    return ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(group).build()))
        .securityGroupRules().stream().filter(r -> !Boolean.TRUE.equals(r.isEgress()) && r.cidrIpv4() != null)
        .map(r -> IpRange.parse(r.cidrIpv4())).collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<IpRange> ranges(List<String> list) {
    return list.stream().map(IpRange::parse).collect(Collectors.toCollection(TreeSet::new));
  }

  static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(250);
    }
  }

  /** The cluster's history, replayed from nothing. */
  SortedSet<IpRange> historyReplayed() throws Exception {
    List<String> lines = new ArrayList<>();
    try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT line FROM ipsync_history ORDER BY id")) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return Held.historyReplayed(lines);
  }

  /**
   * No two nodes change the group at once: ordered by when they reached moto, each node's modifying calls form one
   * run of calls that ends before the next node's first begins.
   */
  static String overlap(List<Ec2Proxy.Change> changes) {
    for (int i = 0; i < changes.size(); i++) {
      for (int j = i + 1; j < changes.size(); j++) {
        Ec2Proxy.Change a = changes.get(i);
        Ec2Proxy.Change b = changes.get(j);
        if (!a.keyId().equals(b.keyId()) && b.begun() < a.ended()) {
          return a + " and " + b + " were in flight together";
        }
      }
    }
    return null;
  }

  static List<String> list(int shift) {
    return FakeFeishu.docAddresses(30 + shift).subList(shift, 30 + shift);
  }

  @Test
  void lossAndACutDatabaseLinkNeverLetTwoNodesChangeTheCloudAtOnce() throws Exception {
    int feishuPort = across(feishu.baseUrl().getPort());
    int cloudPort = across(URI.create(cloud.endpoint()).getPort());
    // Each node reaches the database through a port of its own, so that one node alone can lose it.
    int[] dbPorts = {across(db.port()), across(db.port())};
    start(1, feishuPort, dbPorts[0], cloudPort);
    start(2, feishuPort, dbPorts[1], cloudPort);
    await("the first list in both files and the group", 120, () -> fileOf(1).equals(ranges(list(0)))
        && fileOf(2).equals(ranges(list(0))) && groupHolds().equals(ranges(list(0))));

    // 30 % of the packets on the link lost, each way, while the list changes twice.
    ns.loss(30);
    feishu.entries(list(3));
    Thread.sleep(30_000);
    feishu.entries(list(5));
    Thread.sleep(30_000);
    ns.heal();
    await("the list after the loss in the group", 90, () -> groupHolds().equals(ranges(list(5))));

    // The node that changed the cloud last loses the database (its packets dropped, sessions left hanging) while
    // the list changes: the other node takes the cluster job over; then the link heals and the list changes again.
    List<Ec2Proxy.Change> before = cloud.changes();
    String leader = before.get(before.size() - 1).keyId();
    int cutNode = leader.equals(keyOf(1)) ? 1 : 2;
    ns.blackhole(dbPorts[cutNode - 1]);
    feishu.entries(list(8));
    await("the host writers go on, the cut node's without the database", 60, () -> fileOf(1).equals(ranges(list(8)))
        && fileOf(2).equals(ranges(list(8))));
    await("the other node changes the group", 120, () -> groupHolds().equals(ranges(list(8))));
    Thread.sleep(20_000);
    ns.heal();
    feishu.entries(list(10));
    await("the group once the database is back", 180, () -> groupHolds().equals(ranges(list(10))));
    Thread.sleep(6_000);

    List<Ec2Proxy.Change> changes = cloud.changes();
    System.out.printf("cluster over a faulty link: %d modifying calls to the cloud (%s), by %s%n", changes.size(),
        changes.stream().collect(Collectors.groupingBy(c -> c.action() + " " + c.status(), Collectors.counting())),
        changes.stream().collect(Collectors.groupingBy(Ec2Proxy.Change::keyId, Collectors.counting())));
    String overlap = overlap(changes);
    assertTrue(overlap == null, "two nodes changed the cloud at once: " + overlap);
    assertTrue(changes.stream().anyMatch(c -> !c.keyId().equals(leader)), "the node that kept the database took over");
    assertEquals(groupHolds(), historyReplayed(), "the cluster's history replays to what the group holds");
    assertTrue(nodes.stream().allMatch(StampedProcess::isAlive), "both nodes still run");
    for (StampedProcess n : nodes) {
      assertFalse(n.output().contains(PostgresServer.PASSWORD), "no database password in a node's output");
      assertFalse(n.output().contains(SECRET), "no cloud secret in a node's output");
      assertFalse(n.output().contains("\tat "), "every failure in one line, no stack trace (Quartz's included)");
    }
  }
}
