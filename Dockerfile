# One image for every Kairos process (api, projector, relay, worker, beat, migrate, fakes):
# the command picks the process.
#
# Nothing is downloaded inside the build: `kairos stack up --build` (or `kairos stack build`)
# first fills deploy/build/ on the host, with the host's own pip configuration (index, proxy,
# mirror): the locked third-party wheels for this image's Python and platform
# (deploy/build/wheelhouse/, from `uv export --frozen --no-dev`) and the project's own wheel
# (deploy/build/app/). The same Dockerfile therefore builds on an air-gapped machine, behind a
# strict proxy and anywhere else. The classic builder and BuildKit both work.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
COPY deploy/build/wheelhouse/ /wheelhouse/
# Dependencies first: this layer is reused until uv.lock changes.
RUN test -s /wheelhouse/requirements.txt \
      || { echo "deploy/build/wheelhouse is empty: run 'kairos stack build' first" >&2; exit 1; } \
 && python -m venv --without-pip /app/.venv \
 && pip --python /app/.venv/bin/python install --no-index --find-links /wheelhouse \
      --requirement /wheelhouse/requirements.txt
# pyarrow (Parquet exports) is half the environment: drop what Kairos never loads (Flight RPC,
# S3, its C++ headers and tests; about 60 MB), then prove that Parquet still works.
RUN cd /app/.venv/lib/python3.11/site-packages/pyarrow \
 && rm -rf include tests src libarrow_flight.so* libarrow_python_flight.so* _flight.*.so \
      libarrow_s3.so* _s3fs.*.so _pyarrow_cpp_tests.*.so \
 && cd / \
 && /app/.venv/bin/python -c "import io, pyarrow as pa, pyarrow.parquet as pq; \
      pq.write_table(pa.table({'a': [1]}), io.BytesIO())"
COPY deploy/build/app/ /dist/
RUN pip --python /app/.venv/bin/python install --no-index --no-deps /dist/*.whl \
 && /app/.venv/bin/kairos --help >/dev/null

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 kairos \
 && useradd --system --uid 10001 --gid kairos --home-dir /var/lib/kairos --create-home \
      --shell /usr/sbin/nologin kairos
# Owned by root: the running user can read the code but never change it.
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/var/lib/kairos \
    LOG_FORMAT=json
WORKDIR /var/lib/kairos
USER kairos:kairos
EXPOSE 8000
ENTRYPOINT ["kairos"]
CMD ["api", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
