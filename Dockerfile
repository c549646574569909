# syntax=docker/dockerfile:1
# One image for every Kairos process (api, projector, relay, worker, beat, migrate, fakes):
# the command picks the process. Multi-stage: uv builds the locked environment, the runtime
# stage copies only the virtualenv and runs as an unprivileged user.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION=0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /src
# Dependencies first (cached until pyproject.toml or uv.lock change), then the project.
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-install-project
COPY domain ./domain
COPY application ./application
COPY infrastructure ./infrastructure
COPY interfaces ./interfaces
COPY stand_ins ./stand_ins
COPY benchmarks ./benchmarks
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-editable

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 kairos \
 && useradd --system --uid 10001 --gid kairos --home-dir /var/lib/kairos --create-home \
      --shell /usr/sbin/nologin kairos
COPY --from=build --chown=kairos:kairos /app/.venv /app/.venv
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
