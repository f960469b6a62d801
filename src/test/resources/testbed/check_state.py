"""Inside a testbed: which complete list do the kernel and the snapshot hold? Prints 'kernel=X snapshot=Y'
where X and Y name one of the candidate list files (or 'none'), and exits 1 on a mix, a torn file or a history line
that is not JSON."""
import json
import subprocess
import sys

candidates = {name: set(json.load(open(name))) for name in sys.argv[1:]}


def which(entries):
    for name, content in candidates.items():
        if entries == content:
            return name
    return None


def strip(cidr):
    return cidr[:-3] if cidr.endswith("/32") else cidr


kernel = set()
listing = subprocess.run(["nft", "-j", "list", "set", "inet", "feishu_ipsync", "allow_v4"],
                         capture_output=True, text=True)
if listing.returncode != 0:
    print("kernel has no set: " + listing.stderr.strip())
    sys.exit(1)
for item in json.loads(listing.stdout)["nftables"]:
    for e in item.get("set", {}).get("elem", []):
        kernel.add(e if isinstance(e, str) else e["prefix"]["addr"] + "/" + str(e["prefix"]["len"]))
k = which(kernel)

try:
    snap = json.load(open("/var/lib/feishu-ipsync/snapshot.json"))
    s = which({strip(c) for c in snap["entries"]})
    assert snap["count"] == len(snap["entries"])
except FileNotFoundError:
    s = "none"

with open("/var/lib/feishu-ipsync/history.jsonl") as history:
    for line in history:
        json.loads(line)

print("kernel=%s snapshot=%s" % (k, s))
sys.exit(0 if k and s else 1)
