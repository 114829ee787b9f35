#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# hostile-archive.py SRC.tar OUT.tar CASE: rewrites the docker-archive SRC
# (as podtool's tests build it) into one whose manifest or config is
# hostile in the way CASE names. `hostile-archive.py --list` names them.
import hashlib, io, json, sys, tarfile

def cases(manifest, config, cfgname):
    m = manifest[0]
    def with_entry(**kw):
        e = dict(m); e.update(kw); return [e]
    badcfg = dict(config); badcfg["rootfs"] = dict(config["rootfs"])
    return {
        "config-number": (with_entry(Config=5), None),
        "config-null": (with_entry(Config=None), None),
        "config-object": (with_entry(Config={"a": 1}), None),
        "null-entry": ([None], None),
        "number-entry": ([7, m], None),
        "config-climbs": (with_entry(Config="../../../etc/passwd"), None),
        "config-absolute": (with_entry(Config="/etc/passwd"), None),
        "config-missing": (with_entry(Config="0" * 64 + ".json"), None),
        "config-digest-mismatch": (with_entry(Config="1" * 64 + ".json"), "rename"),
        "manifest-object": ({"Config": m["Config"]}, None),
        "manifest-string": ("manifest", None),
        "layers-not-strings": (with_entry(Layers=[1, None, {"x": 2}]), None),
        "layers-not-array": (with_entry(Layers="x.tar"), None),
        "repotags-odd": (with_entry(RepoTags=[5, None, "UPPER/Case:x", "a" * 300, "ok/name:v1"]), None),
        "diffid-climbs": (None, ("diff_ids", ["sha256:../.."])),
        "diffid-number": (None, ("diff_ids", [5])),
        "diffid-not-array": (None, ("diff_ids", "sha256:" + "0" * 64)),
        "rootfs-null": (None, ("rootfs", None)),
        "config-not-json": (None, ("raw", b"{not json")),
        "config-array": (None, ("raw", b"[1,2]")),
    }

def main():
    if sys.argv[1] == "--list":
        print("\n".join(cases([{"Config": ""}], {"rootfs": {}}, "").keys()))
        return
    src, out, case = sys.argv[1:4]
    members = {}
    with tarfile.open(src) as t:
        for ti in t.getmembers():
            if ti.isfile():
                members[ti.name.lstrip("./")] = t.extractfile(ti).read()
    manifest = json.loads(members["manifest.json"])
    cfgname = manifest[0]["Config"]
    config = json.loads(members[cfgname])
    newm, change = cases(manifest, config, cfgname)[case]
    if change == "rename":
        members[newm[0]["Config"]] = members.pop(cfgname)
    elif isinstance(change, tuple):
        key, val = change
        if key == "raw":
            blob = val
        else:
            c = json.loads(members[cfgname])
            if key == "rootfs":
                c["rootfs"] = val
            else:
                c["rootfs"][key] = val
            blob = json.dumps(c).encode()
        name = hashlib.sha256(blob).hexdigest() + ".json"
        del members[cfgname]
        members[name] = blob
        newm = [dict(manifest[0], Config=name)]
    members["manifest.json"] = json.dumps(newm).encode()
    with tarfile.open(out, "w") as t:
        for name, data in members.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))

main()
