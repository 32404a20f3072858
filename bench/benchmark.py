"""Benchmark (not a test): the figures of issue 8, side by side against one moto_server.

    bin/bench [--runs N] [--rotation-runs N] [--throughput 100,1000] [--quick] [--baseline JAR]

Every Java step runs the Lambda path: a fresh JVM with the jar plus HandlerProbe (the test sources'
stand-in for the Lambda runtime, compiled here against the jar) on the class path, which builds
RotationHandler as Lambda does and runs one event file through it; the CLI (`invoke --event`) is
not on that path and is timed on a line of its own.

1. the shaded jar's size;
2. cold createSecret of random-password: a fresh JVM through the handler (process start to exit)
   with each JVM setting, on JDK 17 and on JDK 25 (C1, the default deployment), once through the
   CLI's `invoke --event`, and the fast-start artifact (bin/build-fast-start: its bootstrap through
   a Runtime API on loopback, process start until the response is posted), next to AWS's Python
   template doing the same calls with boto3 (python_reference_step.py), median/min/max over N
   runs (rows interleaved run by run), peak RSS, CPU time and the ratio; with --baseline JAR, the
   handler path and `invoke` of both jars (deployed JVM flags), run by run interleaved, and the
   difference of the medians;
3. a cold whole rotation (four fresh JVMs) per provider (random-password, aws-iam, weaviate);
4. AWS API calls per rotation, counted at the emulator by a proxy, next to the Python reference's;
5. rotations per minute for 100 and 1,000 secrets in one warm process.

--quick stops after 2 (and skips the AppCDS variant).
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
import urllib.parse
import urllib.request
import uuid

import boto3

from fast_start_train import lambda_env
from proxy import CountingProxy
from runtime_api import RuntimeApi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench-no-such-function"
STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"]
C1 = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
PROBE = "dev.secretrotator.HandlerProbe"
PROBE_SOURCE = os.path.join(ROOT, "lambda/src/test/java/dev/secretrotator/HandlerProbe.java")


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
    wait_port(port, proc)
    return proc, f"http://127.0.0.1:{port}"


def wait_port(port, proc):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                sys.exit("server exited")
            time.sleep(0.1)
    sys.exit("server did not start")


class Bench:
    def __init__(self, args, endpoint, tmp):
        self.args, self.endpoint, self.tmp = args, endpoint, tmp
        self.probe = compile_probe(args.jar, tmp)
        self.sm = self.client("secretsmanager", endpoint)
        self.iam = self.client("iam", endpoint)

    @staticmethod
    def client(service, endpoint):
        return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id="bench", aws_secret_access_key="bench")

    def env(self, endpoint):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ROTATOR_", "JAVA_TOOL"))}
        env.update(AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                   # the stand-ins (Weaviate, the SaaS server) listen on loopback over plain HTTP, which the
                   # function refuses without this test-only setting (issue 13)
                   ROTATOR_ALLOW_INSECURE_LOOPBACK="true")
        return env

    def secret(self, value, name=None):
        name = name or "bench/" + uuid.uuid4().hex[:12]
        return self.sm.create_secret(Name=name, SecretString=json.dumps(value))["ARN"]

    def start_rotation(self, arn):
        token = str(uuid.uuid4())
        try:
            self.sm.rotate_secret(SecretId=arn, ClientRequestToken=token, RotationLambdaARN=LAMBDA_ARN,
                                  RotationRules={"AutomaticallyAfterDays": 30})
        except self.sm.exceptions.ResourceNotFoundException:
            pass  # moto cannot run Lambda: it staged the pending version, as the service does
        return token

    def finish_service_side(self, arn, token):
        stages = self.sm.describe_secret(SecretId=arn)["VersionIdsToStages"].get(token, [])
        if "AWSPENDING" in stages:
            self.sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSPENDING", RemoveFromVersionId=token)

    def event(self, step, arn, token):
        event = os.path.join(self.tmp, f"{token}-{step}.json")
        with open(event, "w") as f:
            json.dump({"Step": step, "SecretId": arn, "ClientRequestToken": token}, f)
        return event

    def java(self, opts, step, arn, token, jar=None, java="java"):
        """The Lambda path: the handler alone, built as Lambda builds it, in a fresh JVM."""
        classpath = (jar or self.args.jar) + os.pathsep + self.probe
        return [java, *opts.split(), "-cp", classpath, PROBE, self.event(step, arn, token)]

    def cli(self, opts, step, arn, token, jar=None):
        """The operator's path: `java -jar ... invoke --event` (picocli and the CLI classes)."""
        return ["java", *opts.split(), "-jar", jar or self.args.jar, "invoke", "--event", self.event(step, arn, token)]


def compile_probe(jar, tmp):
    """HandlerProbe alone in a jar (the tests' SDK interceptor must not come along; AppCDS archives
    only class paths of jars, not directories)."""
    out = os.path.join(tmp, "probe")
    subprocess.run(["javac", "-nowarn", "-cp", jar, "-d", out, PROBE_SOURCE], check=True)
    probe_jar = os.path.join(tmp, "probe.jar")
    subprocess.run(["jar", "cf", probe_jar, "-C", out, "."], check=True)
    return probe_jar


def timed(cmd, env):
    """Wall time (s), peak RSS (MiB) and CPU time (user + system, s) of one process. On a loaded
    machine the CPU time is the steadier figure: waiting for a core inflates only the wall time."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def report(label, samples):
    times = sorted(s[0] for s in samples)
    med = statistics.median(times)
    cpu = [s[2] for s in samples if len(s) > 2]
    print(f"  {label:<52} median {med*1000:6.0f} ms  min {times[0]*1000:5.0f}  max {times[-1]*1000:5.0f}"
          f"  peak RSS {max(s[1] for s in samples):4.0f} MiB"
          + (f"  cpu median {statistics.median(cpu)*1000:5.0f} ms" if cpu else ""))
    return med


def timed_runtime(b, task_root, arn, token):
    """The fast-start artifact as Lambda starts it: bootstrap with a Runtime API on loopback; wall time
    from process start until the createSecret response is posted, then the runtime is stopped (SIGTERM)."""
    api = RuntimeApi()
    env = lambda_env(task_root, api.address, b.endpoint, "")
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([os.path.join(task_root, "bootstrap")], cwd=b.tmp, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            request_id = api.enqueue({"Step": "createSecret", "SecretId": arn, "ClientRequestToken": token})
            kind, body, at = api.await_result(request_id, 120, alive=lambda: proc.poll() is None)
        except (RuntimeError, TimeoutError) as e:
            proc.kill()
            err.seek(0)
            sys.exit(f"fast-start failed: {e}\n{err.read().decode(errors='replace')[-2000:]}")
        finally:
            api.close()
        proc.terminate()
        _, _, usage = os.wait4(proc.pid, 0)
        if kind != "response":
            sys.exit(f"fast-start createSecret failed: {body.decode(errors='replace')[:2000]}")
    return at - start, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def java_major(java):
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    version = next((l.split("=", 1)[1].strip() for l in out.splitlines() if "java.specification.version" in l), "?")
    return version


def unpack_fast_start(b):
    """The artifact unzipped in a directory of its own (not where its cache was trained), or None."""
    zip_path = b.args.fast_start
    if not os.path.exists(zip_path):
        print(f"  (fast-start skipped: no {zip_path}; build it with bin/build-fast-start on a machine with JDK 25)")
        return None
    task_root = os.path.join(b.tmp, "var-task")
    subprocess.run(["unzip", "-q", zip_path, "-d", task_root], check=True)
    return task_root


def cold_create(b, cds):
    print(f"\ncold createSecret, random-password ({b.args.runs} runs each, fresh process per run, rows interleaved)")
    env = b.env(b.endpoint)
    java25 = os.path.join(b.args.java25, "bin", "java")
    jdk = "JDK " + java_major("java")
    rows = [("python reference (boto3, AWS template calls)",
             lambda a, t: timed([sys.executable, os.path.join(HERE, "python_reference_step.py"), a, t], env)),
            ("java handler, default JVM flags", lambda a, t: timed(b.java("", "createSecret", a, t), env)),
            (f"java handler, {jdk}, C1 only (deployed)", lambda a, t: timed(b.java(C1, "createSecret", a, t), env)),
            ("java handler, C1 + SerialGC + -UsePerfData",
             lambda a, t: timed(b.java(C1 + " -XX:+UseSerialGC -XX:-UsePerfData", "createSecret", a, t), env))]
    if cds:
        rows.append(("java handler, C1 + AppCDS archive",
                     lambda a, t: timed(b.java(C1 + " -XX:SharedArchiveFile=" + cds, "createSecret", a, t), env)))
    rows.append(("java -jar invoke --event (CLI), C1", lambda a, t: timed(b.cli(C1, "createSecret", a, t), env)))
    if os.access(java25, os.X_OK):
        rows.append(("java handler, JDK 25, C1 (deployed flags)",
                     lambda a, t: timed(b.java(C1, "createSecret", a, t, java=java25), env)))
    else:
        print(f"  (JDK 25 rows skipped: no {java25}; set JAVA25_HOME or --java25)")
    task_root = unpack_fast_start(b)
    if task_root:
        rows.append(("fast-start (JDK 25 jlinked + AOT cache, custom runtime)",
                     lambda a, t: timed_runtime(b, task_root, a, t)))
    samples = {label: [] for label, _ in rows}
    for _ in range(b.args.runs):
        for label, measure in rows:
            arn = b.secret({"provider": "random-password", "username": "app", "password": uuid.uuid4().hex})
            samples[label].append(measure(arn, b.start_rotation(arn)))
    results = {label: report(label, s) for label, s in samples.items()}
    py = results.pop(rows[0][0])
    for label, med in results.items():
        print(f"  ratio {label} / python: {med / py:.2f}")
    return py, results


def compare(b):
    """This jar against --baseline, C1: one run of each row per round, rows in turn (interleaved)."""
    print(f"\ncold createSecret, this jar vs baseline {b.args.baseline} ({C1}; {b.args.runs} rounds, interleaved)")
    env = b.env(b.endpoint)
    rows = [("handler, this jar", lambda a, t: b.java(C1, "createSecret", a, t)),
            ("handler, baseline", lambda a, t: b.java(C1, "createSecret", a, t, b.args.baseline)),
            ("invoke --event (CLI), this jar", lambda a, t: b.cli(C1, "createSecret", a, t)),
            ("invoke --event (CLI), baseline", lambda a, t: b.cli(C1, "createSecret", a, t, b.args.baseline))]
    samples = {label: [] for label, _ in rows}
    for _ in range(b.args.runs):
        for label, cmd_of in rows:
            arn = b.secret({"provider": "random-password", "username": "app", "password": uuid.uuid4().hex})
            samples[label].append(timed(cmd_of(arn, b.start_rotation(arn)), env))
    med = {label: report(label, s) for label, s in samples.items()}
    cpu = {label: statistics.median(x[2] for x in s) for label, s in samples.items()}
    for what in ("handler", "invoke --event (CLI)"):
        delta = med[f"{what}, this jar"] - med[f"{what}, baseline"]
        cpu_delta = cpu[f"{what}, this jar"] - cpu[f"{what}, baseline"]
        print(f"  {what}: this jar - baseline = {delta * 1000:+.0f} ms wall, {cpu_delta * 1000:+.0f} ms cpu (medians)")
    for label, cmd_of in rows:
        arn = b.secret({"provider": "random-password", "username": "app", "password": uuid.uuid4().hex})
        cmd = cmd_of(arn, b.start_rotation(arn))
        out = subprocess.run([cmd[0], "-Xlog:class+load=info:stdout", *cmd[1:]], env=env, capture_output=True, text=True).stdout
        loaded = [line for line in out.splitlines() if "source:" in line]
        cli = sum(1 for line in loaded if " dev.secretrotator.cli." in line or " picocli." in line)
        print(f"  {label:<52} classes loaded {len(loaded):5d}  of them CLI or picocli {cli}")


def build_cds(b):
    """A dynamic AppCDS archive from one training run (same JVM as the measurements)."""
    archive = os.path.join(b.tmp, "secret-rotator.jsa")
    arn = b.secret({"provider": "random-password", "password": "x" * 12})
    token = b.start_rotation(arn)
    cmd = b.java(C1 + " -XX:ArchiveClassesAtExit=" + archive, "createSecret", arn, token)
    subprocess.run(cmd, env=b.env(b.endpoint), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return archive if os.path.exists(archive) else None


def provider_secrets(b, weaviate):
    out = {"random-password": lambda: b.secret({"provider": "random-password", "password": uuid.uuid4().hex})}

    def iam_secret():
        user = "bench-" + uuid.uuid4().hex[:8]
        name = "bench/" + uuid.uuid4().hex[:12]
        # the user is bound to its secret by tag (issue 13), as a deployment must do
        b.iam.create_user(UserName=user, Tags=[{"Key": "secret-rotator:secret", "Value": name}])
        key = b.iam.create_access_key(UserName=user)["AccessKey"]
        return b.secret({"provider": "aws-iam", "userName": user, "accessKeyId": key["AccessKeyId"],
                         "secretAccessKey": key["SecretAccessKey"], "verification": {"consecutiveSuccesses": 1}}, name)
    out["aws-iam"] = iam_secret
    if weaviate:
        base, admin_arn, admin_key = weaviate

        def weaviate_secret():
            user = "app_" + uuid.uuid4().hex[:8]
            req = urllib.request.Request(f"{base}/v1/users/db/{user}", method="POST", data=b"{}",
                                         headers={"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"})
            key = json.load(urllib.request.urlopen(req))["apikey"]
            return b.secret({"provider": "weaviate", "endpoint": base, "strategy": "alternating-users",
                             "userId": user, "alternateUserId": user + "_b", "apiKey": key, "adminSecretArn": admin_arn,
                             "verification": {"consecutiveSuccesses": 1}})
        out["weaviate"] = weaviate_secret
    return out


def whole_rotations(b, secrets):
    print(f"\ncold whole rotation per provider (four fresh JVMs, {C1}; {b.args.rotation_runs} runs)")
    env = b.env(b.endpoint)
    for name, make in secrets.items():
        samples = []
        for _ in range(b.args.rotation_runs):
            arn = make()
            token = b.start_rotation(arn)
            start = time.perf_counter()
            rss = 0
            for step in STEPS:
                _, m, _ = timed(b.java(C1, step, arn, token), env)
                rss = max(rss, m)
            samples.append((time.perf_counter() - start, rss))
            b.finish_service_side(arn, token)
        report(name, samples)


def api_calls(b, secrets):
    print("\nAWS API calls per rotation, counted at the emulator")
    proxy = CountingProxy(b.endpoint)
    env = b.env(proxy.endpoint)
    try:
        arn = secrets["random-password"]()
        token = b.start_rotation(arn)
        proxy.take()
        subprocess.run([sys.executable, os.path.join(HERE, "python_reference_step.py"), arn, token], env=env, check=True)
        print(f"  {'python reference, createSecret':<36} {fmt(proxy.take())}")
        # the template's code makes 5 + 1 + 1 + 3 (its setSecret and testSecret only describe the secret)
        print(f"  {'python template, whole rotation':<36}  10  (from its code; ApiCallBudgetIT holds the Java steps)")
        for name, make in secrets.items():
            arn = make()
            token = b.start_rotation(arn)
            proxy.take()
            for step in STEPS:
                timed(b.java(C1, step, arn, token), env)
                print(f"  {name + ', ' + step:<36} {fmt(proxy.take())}")
            b.finish_service_side(arn, token)
            proxy.take()
    finally:
        proxy.close()


def fmt(counts):
    return f"{sum(counts.values()):3d}  " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def throughput(b):
    print("\nwarm throughput (one process, random-password, in-process steps)")
    for n in b.args.throughput:
        out = subprocess.run(["java", *C1.split(), "-jar", b.args.jar, "throughput", str(n)], env=b.env(b.endpoint),
                             capture_output=True, text=True, check=True).stdout
        print("  " + out.strip().splitlines()[-1])


def start_weaviate(b):
    cp_file = os.path.join(b.tmp, "cp.txt")
    if subprocess.run(["mvn", "-q", "-o", "-f", os.path.join(ROOT, "test-fixtures/pom.xml"), "dependency:build-classpath",
                       f"-Dmdep.outputFile={cp_file}", "-Dmdep.includeScope=runtime"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        print("(weaviate skipped: could not build the test-fixtures class path)")
        return None, None
    cp = os.path.join(ROOT, "test-fixtures/target/classes") + os.pathsep + open(cp_file).read().strip()
    admin_key = uuid.uuid4().hex
    proc = subprocess.Popen(["java", "-cp", cp, "dev.secretrotator.testing.weaviate.WeaviateTestServerMain", admin_key],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("READY "):
        proc.kill()
        print("(weaviate skipped: the test server did not start)")
        return None, None
    base = line.split(" ", 1)[1]
    # bound to the bench's secrets and the server's host by tags, as a deployment must do (issue 13)
    admin_arn = b.sm.create_secret(Name="bench/weaviate-admin-" + uuid.uuid4().hex[:8], SecretString=json.dumps({"apiKey": admin_key}),
                                   Tags=[{"Key": "secret-rotator:serves", "Value": "bench/*"},
                                         {"Key": "secret-rotator:endpoints", "Value": urllib.parse.urlparse(base).hostname}])["ARN"]
    return proc, (base, admin_arn, admin_key)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--rotation-runs", type=int, default=3)
    ap.add_argument("--throughput", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000])
    ap.add_argument("--quick", action="store_true", help="jar size and cold createSecret only")
    ap.add_argument("--baseline", metavar="JAR", help="another build's jar to compare cold createSecret with")
    ap.add_argument("--java25", default=os.environ.get("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"),
                    help="a JDK 25 home for the JDK 25 row (default $JAVA25_HOME or Temurin's path)")
    ap.add_argument("--fast-start", default=os.path.join(ROOT, "lambda/target/fast-start/secret-rotator-fast-start.zip"),
                    help="the fast-start zip (bin/build-fast-start); its row is skipped when it does not exist")
    args = ap.parse_args()

    moto, endpoint = start_moto()
    tmp = tempfile.mkdtemp()
    weaviate_proc = None
    try:
        b = Bench(args, endpoint, tmp)
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {java}; moto_server at {endpoint}")
        print(f"shaded jar: {args.jar}  {os.path.getsize(args.jar) / 1e6:.1f} MB ({os.path.getsize(args.jar)} bytes)")
        if args.baseline:
            print(f"baseline jar: {args.baseline}  {os.path.getsize(args.baseline) / 1e6:.1f} MB"
                  f" ({os.path.getsize(args.baseline)} bytes)")
        if os.path.exists(args.fast_start):
            print(f"fast-start zip: {args.fast_start}  {os.path.getsize(args.fast_start) / 1e6:.1f} MB"
                  f" ({os.path.getsize(args.fast_start)} bytes)")
        cold_create(b, None if args.quick else build_cds(b))
        if args.baseline:
            compare(b)
        if args.quick:
            return
        weaviate_proc, weaviate = start_weaviate(b)
        secrets = provider_secrets(b, weaviate)
        whole_rotations(b, secrets)
        api_calls(b, secrets)
        throughput(b)
    finally:
        if weaviate_proc:
            weaviate_proc.kill()
        moto.terminate()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
