"""Runs a fast-start task tree's bootstrap against a Runtime API on loopback and moto_server, and sends
one whole random-password rotation (createSecret, setSecret, testSecret, finishSecret) through it.

    python3 bench/fast_start_train.py TASK_ROOT [--moto URL] [-- EXTRA JVM OPTIONS]

bin/build-fast-start uses it twice: to train the AOT cache (the JVM options add -XX:AOTCacheOutput)
and to verify it (-XX:AOTMode=on, which refuses to start on a cache this JVM cannot use). Starts
moto_server itself unless --moto names one. Progress on stderr; exits non-zero on any failure, with
the runtime's output.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import boto3

from runtime_api import RuntimeApi

STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"]
HANDLER = "dev.secretrotator.handler.RotationHandler::handleRequest"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:secret-rotator"


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
            if proc.poll() is not None:
                sys.exit("moto_server exited")
            time.sleep(0.1)
    proc.kill()
    sys.exit("moto_server did not start")


def lambda_env(task_root, runtime_api, endpoint, jvm_options):
    """The environment Lambda gives a custom runtime, plus the emulator's endpoint and fake credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ROTATOR_", "JAVA_TOOL", "_JAVA", "JDK_JAVA"))}
    env.update(AWS_LAMBDA_RUNTIME_API=runtime_api, _HANDLER=HANDLER, LAMBDA_TASK_ROOT=task_root,
               AWS_LAMBDA_FUNCTION_NAME="secret-rotator", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1024",
               AWS_LAMBDA_FUNCTION_VERSION="$LATEST", AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1",
               AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="training", AWS_SECRET_ACCESS_KEY="training",
               ROTATOR_ALLOWED_SECRET_ARNS="arn:aws:secretsmanager:*:*:secret:*")
    if jvm_options:
        env["FAST_START_JAVA_OPTIONS"] = jvm_options
    return env


def new_rotation(endpoint):
    sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="training", aws_secret_access_key="training")
    arn = sm.create_secret(Name="fast-start/" + uuid.uuid4().hex[:12],
                           SecretString=json.dumps({"provider": "random-password", "username": "app",
                                                    "password": uuid.uuid4().hex}))["ARN"]
    token = str(uuid.uuid4())
    try:
        sm.rotate_secret(SecretId=arn, ClientRequestToken=token, RotationLambdaARN=LAMBDA_ARN,
                         RotationRules={"AutomaticallyAfterDays": 30})
    except sm.exceptions.ResourceNotFoundException:
        pass  # moto cannot invoke Lambda: it staged the pending version, as the service does
    return sm, arn, token


def stop(proc):
    """SIGTERM, as Lambda does at shutdown: the JVM exits normally (and writes an AOT cache it trains)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rotate(task_root, endpoint, jvm_options, log):
    sm, arn, token = new_rotation(endpoint)
    api = RuntimeApi()
    proc = subprocess.Popen([os.path.join(task_root, "bootstrap")], cwd="/",
                            env=lambda_env(task_root, api.address, endpoint, jvm_options),
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        for step in STEPS:
            request_id = api.enqueue({"Step": step, "SecretId": arn, "ClientRequestToken": token})
            kind, body, _ = api.await_result(request_id, 120, alive=lambda: proc.poll() is None)
            if kind != "response":
                raise RuntimeError(f"{step} failed: {body.decode(errors='replace')[:2000]}")
            print(f"  {step}: ok", file=sys.stderr)
        stages = sm.describe_secret(SecretId=arn)["VersionIdsToStages"].get(token, [])
        if "AWSCURRENT" not in stages:
            raise RuntimeError(f"the rotation did not finish: version {token} has stages {stages}")
    finally:
        stop(proc)
        api.close()
    return proc.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task_root")
    ap.add_argument("--moto", help="a running moto_server's URL (default: start one)")
    ap.add_argument("jvm_options", nargs="*", help="extra JVM options (after --)")
    args = ap.parse_args()
    moto, endpoint = (None, args.moto) if args.moto else start_moto()
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            code = rotate(os.path.abspath(args.task_root), endpoint, " ".join(args.jvm_options), log)
            if code not in (0, 143, -signal.SIGTERM):
                log.seek(0)
                sys.stderr.write(log.read()[-20000:])
                sys.exit(f"the runtime exited with status {code}")
        except (RuntimeError, TimeoutError) as e:
            log.seek(0)
            sys.stderr.write(log.read()[-20000:])
            sys.exit(f"training run failed: {e}")
        finally:
            if moto:
                moto.terminate()


if __name__ == "__main__":
    main()
