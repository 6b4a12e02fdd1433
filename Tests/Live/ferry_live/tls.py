"""Throwaway certificates for the emulator's TLS and Entra tests, made with the `openssl` CLI.

`TestCA(dir)` makes a CA; `server_certificate()` signs one for 127.0.0.1 and localhost (an IP SAN:
Python's ssl checks the address against it); `client_certificate(name)` makes the self-signed
RSA certificate a service principal signs its client assertions with. Keys never leave `dir`.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


def _openssl(*args: str, cwd: Path) -> None:
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"openssl {' '.join(args)} failed: {done.stderr}"


@dataclass
class ServerCertificate:
    cert: Path
    key: Path


@dataclass
class ClientCertificate:
    cert: Path
    key: Path
    combined: Path   # key + certificate in one PEM file, as azure-identity's CertificateCredential reads it


class TestCA:
    """A CA under `directory` (`ca.pem` is what clients trust)."""

    __test__ = False  # not a pytest class

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.cert = directory / "ca.pem"
        self.key = directory / "ca-key.pem"
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.key.name, "-out", self.cert.name,
                 "-days", "2", "-subj", "/CN=ferry test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)

    def server_certificate(self, name: str = "server") -> ServerCertificate:
        key, csr, cert, ext = (f"{name}-key.pem", f"{name}.csr", f"{name}.pem", f"{name}.ext")
        (self.directory / ext).write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                          "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1",
                 cwd=self.directory)
        _openssl("x509", "-req", "-in", csr, "-CA", self.cert.name, "-CAkey", self.key.name, "-CAcreateserial",
                 "-out", cert, "-days", "2", "-extfile", ext, cwd=self.directory)
        return ServerCertificate(self.directory / cert, self.directory / key)

    def client_certificate(self, name: str) -> ClientCertificate:
        key, cert = f"{name}-key.pem", f"{name}.pem"
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                 "-subj", f"/CN={name}", cwd=self.directory)
        combined = self.directory / f"{name}-combined.pem"
        combined.write_text((self.directory / key).read_text() + (self.directory / cert).read_text())
        return ClientCertificate(self.directory / cert, self.directory / key, combined)
