"""Cold-start benchmark (not a test): the shaded jar's size, and a cold createSecret of the
random-password provider in a fresh JVM (`invoke --event`, process start to exit) next to AWS's
Python template doing the same calls (python_reference_step.py, boto3) on the same moto_server.

    bin/bench [--runs N] [--jvm-opts "-XX:TieredStopAtLevel=1 ..."]

Prints median, min and max wall time, peak resident memory, and the Java/Python median ratio.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench-no-such-function"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto():
    if not shutil.which("moto_server"):
        sys.exit("moto_server not found: pip install 'moto[server]'")
    port = free_port()
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("moto_server did not start")


def pending_rotation(sm):
    """A new secret with a rotation started: the state the service leaves before createSecret."""
    name = "bench/" + uuid.uuid4().hex[:12]
    arn = sm.create_secret(Name=name, SecretString=json.dumps(
        {"provider": "random-password", "username": "app", "password": uuid.uuid4().hex}))["ARN"]
    token = str(uuid.uuid4())
    try:
        sm.rotate_secret(SecretId=arn, ClientRequestToken=token, RotationLambdaARN=LAMBDA_ARN,
                         RotationRules={"AutomaticallyAfterDays": 30})
    except sm.exceptions.ResourceNotFoundException:
        pass
    return arn, token


def timed(cmd, env):
    """Wall time (s) and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def measure(label, make_cmd, sm, env, runs):
    samples = []
    for _ in range(runs):
        arn, token = pending_rotation(sm)
        samples.append(timed(make_cmd(arn, token), env))
    times = sorted(t for t, _ in samples)
    rss = max(m for _, m in samples)
    med = statistics.median(times)
    print(f"{label:<44} median {med*1000:7.0f} ms   min {times[0]*1000:6.0f}   max {times[-1]*1000:6.0f}   peak RSS {rss:6.0f} MiB")
    return med


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--jvm-opts", default="-XX:+TieredCompilation -XX:TieredStopAtLevel=1")
    args = ap.parse_args()

    moto, endpoint = start_moto()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="bench", aws_secret_access_key="bench")
    tmp = tempfile.mkdtemp()
    try:
        print(f"machine: {os.cpu_count()} cores; java: {shutil.which('java')}; moto at {endpoint}; {args.runs} runs each")
        print(f"shaded jar: {args.jar}  {os.path.getsize(args.jar) / 1e6:.1f} MB")

        def java_cmd(opts):
            def cmd(arn, token):
                event = os.path.join(tmp, token + ".json")
                with open(event, "w") as f:
                    json.dump({"Step": "createSecret", "SecretId": arn, "ClientRequestToken": token}, f)
                return ["java", *opts.split(), "-jar", args.jar, "invoke", "--event", event]
            return cmd

        python_cmd = lambda arn, token: [sys.executable, os.path.join(HERE, "python_reference_step.py"), arn, token]
        py = measure("python reference (boto3, AWS template)", python_cmd, sm, env, args.runs)
        plain = measure("java createSecret (default JVM flags)", java_cmd(""), sm, env, args.runs)
        tuned = measure(f"java createSecret ({args.jvm_opts})", java_cmd(args.jvm_opts), sm, env, args.runs)
        print(f"ratio java/python (median): default {plain/py:.2f}   tuned {tuned/py:.2f}   (target <= 1.0; > 2.0 is a defect)")
    finally:
        moto.terminate()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
