#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run a LAVA test definition the way a LAVA job does, with LAVA's own helpers.

lava-testdef.py --helpers DIR --pythonpath DIR --repo DIR --root DIR TESTDEF [NAME=VALUE...]

Checks TESTDEF against LAVA's own test-definition schema (lava_common,
from the lava-common .deb: scripts/lava-deb.sh python), then lays out
what the dispatcher puts on a device, under ROOT, and runs it with
lava-test-runner, LAVA's own, whose stdout (the LAVA_SIGNAL lines) is
this script's:
  ROOT/bin/lava-*                  the helpers of DIR (scripts/lava-deb.sh),
                                   "#!/bin/sh" first, as the overlay
                                   (actions/deploy/overlay.py) writes them
  ROOT/0/tests/0_NAME/             the "checkout": uuid, and a link to each
                                   entry of REPO (a clone would be REPO's
                                   files; these include the build)
  ROOT/0/tests/0_NAME/run.sh       the parameters, then the run steps, as
                                   TestInstallAction (actions/deploy/
                                   testdef.py, 2023.01) writes run.sh
  ROOT/0/lava-test-runner.conf     the test directory, one a line
NAME=VALUE pairs are the job's test parameters. Exit status: lava-test-runner's.
"""
import argparse
import os
import subprocess
import sys
import uuid as uuidlib

import yaml


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--helpers", "--pythonpath", "--repo", "--root"):
        ap.add_argument(opt, required=True)
    ap.add_argument("testdef")
    ap.add_argument("params", nargs="*")
    a = ap.parse_args()

    sys.path.insert(0, a.pythonpath)
    from lava_common.schemas.test import testdef as schema  # LAVA's own

    with open(a.testdef) as f:
        testdef = yaml.safe_load(f)
    try:
        schema.validate(testdef)
    except Exception as e:  # voluptuous.Invalid and its kin
        sys.exit("%s: not a LAVA test definition: %s" % (a.testdef, e))
    job_params = {}
    for p in a.params:
        k, sep, v = p.partition("=")
        if not sep:
            sys.exit("expected NAME=VALUE, got %r" % p)
        job_params[k] = v

    name = testdef["metadata"]["name"]
    root = os.path.abspath(a.root)
    stage = os.path.join(root, "0")
    test = os.path.join(stage, "tests", "0_" + name)
    os.makedirs(os.path.join(root, "bin"))
    os.makedirs(os.path.join(stage, "results"))
    os.makedirs(test)
    for h in sorted(os.listdir(a.helpers)):
        src = os.path.join(a.helpers, h)
        if not h.startswith("lava-") or not os.path.isfile(src):
            continue
        dst = os.path.join(root, "bin", h)
        with open(src) as fin, open(dst, "w") as fout:
            fout.write("#!/bin/sh\n\n")
            fout.write(fin.read())
        os.chmod(dst, 0o755)
    for e in os.listdir(a.repo):
        if e not in (".git",):
            os.symlink(os.path.join(os.path.abspath(a.repo), e), os.path.join(test, e))
    uuid = str(uuidlib.uuid4())
    with open(os.path.join(test, "uuid"), "w") as f:
        f.write(uuid)

    # handle_parameters(): the definition's params, then the job's.
    lines = ["###default parameters from test definition###\n"]
    for k, v in (testdef.get("params") or {}).items():
        lines.append("%s='%s'\n" % (k, v if v else ""))
    lines.append("######\n")
    lines.append("###test parameters from job submission###\n")
    for k, v in job_params.items():
        lines.append("%s='%s'\n" % (k, v))
    lines.append("######\n")
    lines += ["set -e\n", "set -x\n", "export TESTRUN_ID=0_%s\n" % name,
              "cd %s\n" % test, "UUID=`cat uuid`\n", "set +x\n",
              'echo "<LAVA_SIGNAL_STARTRUN $TESTRUN_ID $UUID>"\n', "set -x\n"]
    for cmd in testdef.get("run", {}).get("steps", []):
        if cmd is not None:
            lines.append("%s\n" % cmd)
    lines += ["set +x\n", 'echo "<LAVA_SIGNAL_ENDRUN $TESTRUN_ID $UUID>"\n']
    with open(os.path.join(test, "run.sh"), "w") as f:
        f.writelines(lines)
    with open(os.path.join(stage, "lava-test-runner.conf"), "w") as f:
        f.write(test + "\n")
    sys.stdout.flush()
    return subprocess.call([os.path.join(root, "bin", "lava-test-runner"), stage])


if __name__ == "__main__":
    sys.exit(main())
