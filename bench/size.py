"""Size of what each Lambda function of the tutorial must ship, as JSON lines:
grove: the zip `grove package` wrote (bootstrap built with the lambda-size profile, seed.grove);
Python: the tutorial's handler, seed.pkl and scikit-learn, numpy, scipy, joblib and
threadpoolctl exactly as pip installed them in .venv-bench (package directories, their bundled
`.libs` shared libraries, `.dist-info`, `__pycache__`), zipped here with deflate level 6 as
`zip -r` would, and unzipped. pip, setuptools, pandas and the other peers are not counted.

Usage: size.py OUT_DIR   (OUT_DIR/dist/bootstrap.zip must exist)"""
import glob
import json
import os
import sys
import sysconfig
import tempfile
import zipfile

out = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def emit(case, peer, what, zip_bytes, unzipped_bytes):
    print(json.dumps({"case": case, "peer": peer, "threads": 1, "seconds": 0, "rows": 0, "what": what,
                      "zip_bytes": zip_bytes, "unzipped_bytes": unzipped_bytes}), flush=True)


grove_zip = os.path.join(out, "dist", "bootstrap.zip")
with zipfile.ZipFile(grove_zip) as z:
    emit("size/lambda_zip", "grove", "bootstrap.zip: grove-lambda (lambda-size) + seed.grove",
         os.path.getsize(grove_zip), sum(i.file_size for i in z.infolist()))

site = sysconfig.get_paths()["purelib"]
names = ["sklearn", "scikit_learn", "numpy", "scipy", "joblib", "threadpoolctl"]
tops = [p for n in names for p in glob.glob(os.path.join(site, n)) + glob.glob(os.path.join(site, n + ".py"))
        + glob.glob(os.path.join(site, n + ".libs")) + glob.glob(os.path.join(site, n + "-*.dist-info"))]
files = [(os.path.join(root, "bench/peers/tutorial_handler.py"), "tutorial_handler.py"),
         (os.path.join(out, "seed.pkl"), "model.pkl")]
for top in tops:
    if os.path.isfile(top):
        files.append((top, os.path.relpath(top, site)))
    for d, _, fs in os.walk(top):
        files += [(os.path.join(d, f), os.path.relpath(os.path.join(d, f), site)) for f in fs]
with tempfile.TemporaryFile() as tmp:
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for path, name in files:
            z.write(path, name)
    emit("size/lambda_zip", "python", "tutorial_handler.py + seed.pkl + " + ", ".join(
        sorted(os.path.basename(t) for t in tops)), tmp.tell(), sum(os.path.getsize(p) for p, _ in files))
