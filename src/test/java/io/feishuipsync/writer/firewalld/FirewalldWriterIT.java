package io.feishuipsync.writer.firewalld;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.sync.Allowlist;
import io.feishuipsync.sync.Enforcer;
import io.feishuipsync.testbed.PacketProbe;
import io.feishuipsync.testbed.SystemdBox;
import io.feishuipsync.writer.WriterFixtures;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The firewalld writer against a real firewalld (1.3, nftables backend, on its D-Bus) in the systemd container,
 * judged by real packets: clients in network namespaces of the container connect to port 443, which the writer
 * protects, and to 8080, which the zone opens to all. The zone opens 443 to all too, as an operator's config would:
 * the writer's policy alone decides who gets in.
 */
class FirewalldWriterIT {

  static SystemdBox box;
  static PacketProbe probe;
  static final SortedSet<IpRange> LISTED = ips(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6);

  Writer writer;

  @BeforeAll
  static void start() {
    box = SystemdBox.boot();
    box.sh("systemctl unmask firewalld && systemctl start firewalld");
    running();
    box.sh("firewall-cmd --permanent --zone=public --add-port=443/tcp --add-port=8080/tcp && firewall-cmd --reload");
    probe = PacketProbe.setUp(box);
  }

  static void running() {
    box.waitFor("firewalld to run", Duration.ofSeconds(60),
        () -> box.exec("firewall-cmd", "--state").stdout().strip().equals("running"));
  }

  @AfterAll
  static void stop() {
    if (box != null) {
      box.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    writer = WriterFixtures.writer("firewalld", "ports: [443]\n", box.runner());
    writer.teardown();
  }

  void converge(SortedSet<IpRange> list) throws WriterException {
    WriterFixtures.converge(writer, list);
    Holding h = writer.read();
    assertEquals(list, h.entries());
    assertEquals(List.of(), h.drift(), "in sync after a converge");
  }

  @Test
  void theListedHostsGetInAndStrangersDoNotAcrossReloads() throws Exception {
    assertEquals(PacketProbe.expect(true, true, true, true), probe.reachability(), "the zone opens both ports");
    converge(LISTED);
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability());
    assertTrue(box.sh("firewall-cmd --get-ipsets").contains("feishu_ipsync_v4"), "an operator sees it");
    assertTrue(box.sh("firewall-cmd --permanent --ipset=feishu_ipsync_v4 --get-entries")
        .contains(PacketProbe.LISTED_V4), "and so does a reload");

    for (String reload : new String[] {"--reload", "--complete-reload"}) {
      box.sh("firewall-cmd " + reload);
      running();
      assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability(), "after " + reload);
      assertTrue(writer.read().inSync(LISTED), "after " + reload);
    }
    box.sh("systemctl restart firewalld");
    running();
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability(), "after a restart");
  }

  @Test
  void aChangeIsAppliedWithoutAReloadGap() throws Exception {
    converge(LISTED);
    // The listed client connects every 20 ms while the list changes; a reload would drop it for a moment.
    box.sh("ip netns exec c1 nohup python3 -c \"$(cat <<'PY'\n"
        + "import socket, time\n"
        + "fails = 0\n"
        + "end = time.time() + 15\n"
        + "while time.time() < end:\n"
        + "  try:\n"
        + "    socket.create_connection(('" + "198.51.100.1" + "', 443), 0.5).close()\n"
        + "  except OSError:\n"
        + "    fails += 1\n"
        + "  time.sleep(0.02)\n"
        + "open('/tmp/gap', 'w').write(str(fails))\n"
        + "PY\n)\" >/dev/null 2>&1 &");
    SortedSet<IpRange> more = ips(PacketProbe.LISTED_V4, PacketProbe.LISTED_V6, PacketProbe.UNLISTED_V4);
    converge(more);
    converge(LISTED);
    box.waitFor("the connecting client to finish", Duration.ofSeconds(30),
        () -> box.exec("cat", "/tmp/gap").ok());
    assertEquals("0", box.sh("cat /tmp/gap").strip(), "no connection of the listed client failed");
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability());
  }

  @Test
  void driftInFirewalldOrAFlushedKernelIsFoundAndRepaired() throws Exception {
    converge(LISTED);
    box.sh("firewall-cmd --ipset=feishu_ipsync_v4 --add-entry=" + PacketProbe.UNLISTED_V4
        + " && firewall-cmd --permanent --policy=feishu_ipsync --remove-rich-rule='rule priority=\"-1\""
        + " family=\"ipv4\" port port=\"443\" protocol=\"tcp\" drop'");
    Holding h = writer.read();
    assertFalse(h.inSync(LISTED), h.toString());
    converge(LISTED);
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability());

    box.sh("nft flush ruleset");
    Holding flushed = writer.read();
    assertTrue(flushed.drift().stream().anyMatch(d -> d.contains("flushed")), flushed.toString());
    converge(LISTED);
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability(), "firewalld reloaded");
  }

  @Test
  void theEnforcementLoopHoldsItLikeTheKernelWriters() throws Exception {
    Enforcer enforcer = new Enforcer(List.of(writer), new EnforceSettings(Duration.ofSeconds(30), true), null);
    converge(LISTED);
    enforcer.seed(Allowlist.whole(LISTED));
    assertEquals(List.of(), enforcer.check(), "nothing to repair");
    box.sh("nft flush ruleset");
    assertEquals(PacketProbe.expect(true, true, true, true), probe.reachability(), "a flush opens the port");
    List<Enforcer.Repair> repairs = enforcer.check();
    assertEquals(1, repairs.size(), repairs.toString());
    assertEquals(null, repairs.get(0).error(), repairs.toString());
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability(), "held again");
    box.sh("firewall-cmd --ipset=feishu_ipsync_v4 --add-entry=" + PacketProbe.UNLISTED_V4);
    assertEquals(1, enforcer.check().size(), "an entry added by hand is taken out");
    assertEquals(PacketProbe.expect(true, false, true, true), probe.reachability());
  }

  @Test
  void teardownRemovesExactlyItsObjectsAndAStoppedFirewalldIsAClearRefusal() throws Exception {
    box.sh("firewall-cmd --permanent --new-ipset=office --type=hash:net && firewall-cmd --reload");
    converge(LISTED);
    writer.teardown();
    String ipsets = box.sh("firewall-cmd --get-ipsets");
    assertTrue(ipsets.contains("office") && !ipsets.contains("feishu_ipsync"), ipsets);
    assertFalse(box.sh("firewall-cmd --get-policies").contains("feishu_ipsync"));
    assertEquals(PacketProbe.expect(true, true, true, true), probe.reachability(), "the zone's ports as they were");
    box.sh("firewall-cmd --permanent --delete-ipset=office && firewall-cmd --reload");

    box.sh("systemctl stop firewalld");
    try {
      WriterException e = assertThrows(WriterException.class, writer::check);
      assertTrue(e.getMessage().contains("firewalld is not running"), e.getMessage());
    } finally {
      box.sh("systemctl start firewalld");
      running();
    }
  }
}
