"""X.509 logon end to end: a listener that verifies client certificates against a CA, a user
mapped by certificate subject, another by SHA-256 fingerprint, and the refusals."""
import hashlib
import os
import shutil
import ssl
import subprocess
import tempfile
import unittest

from harness import SERVICE, Server


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_pki(d):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/O=Causeway Test/CN=Test CA", cwd=d)
    for name in ("subject", "fingerprint", "stranger"):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", f"/O=Causeway Test/CN={name}", cwd=d)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", "2", cwd=d)
    # A certificate from a CA the server does not trust.
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue.key", "-out", "rogue.pem",
            "-days", "2", "-subj", "/O=Causeway Test/CN=subject", cwd=d)


def der_fingerprint(pem_path):
    with open(pem_path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return hashlib.sha256(der).hexdigest()


class ClientCertificates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pki = tempfile.mkdtemp(prefix="causeway-pki-")
        make_pki(cls.pki)
        fp = der_fingerprint(os.path.join(cls.pki, "fingerprint.pem"))
        cls.server = Server(
            client_ca=f'client_ca_file = "{cls.pki}/ca.pem"',
            extra_users=f"""
[[users]]
name = "CERT_SUBJECT"
kind = "communication"
scenarios = ["SAP_COM_0064"]
cert_subjects = ["/O=Causeway Test/CN=subject"]

[[users]]
name = "CERT_FINGERPRINT"
kind = "communication"
scenarios = ["SAP_COM_0064"]
cert_fingerprints = ["{fp.upper()}"]
""")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.pki, ignore_errors=True)

    def get(self, cert=None, extra=()):
        args = ["curl", "-sk", "-o", "-", "-w", "\n%{http_code}", f"{self.server.tls_base}{SERVICE}?$format=json"]
        if cert:
            args += ["--cert", os.path.join(self.pki, f"{cert}.pem"), "--key", os.path.join(self.pki, f"{cert}.key")]
        out = subprocess.run(args + list(extra), capture_output=True, text=True, timeout=30)
        body, _, status = out.stdout.rpartition("\n")
        return int(status or 0), body

    def test_certificate_subject_logs_on(self):
        status, body = self.get("subject")
        self.assertEqual(status, 200, body)
        self.assertIn("EntitySets", body)

    def test_certificate_fingerprint_logs_on(self):
        self.assertEqual(self.get("fingerprint")[0], 200)

    def test_trusted_but_unmapped_certificate_falls_back_to_401(self):
        status, body = self.get("stranger")
        self.assertEqual(status, 401)

    def test_untrusted_certificate_is_not_a_logon(self):
        # OpenSSL refuses the handshake for a certificate that does not verify (curl: 000).
        status, body = self.get("rogue")
        self.assertIn(status, (0, 401))
        self.assertNotIn("EntitySets", body)

    def test_no_certificate_still_allows_basic(self):
        self.assertEqual(self.get(None, ["-u", "JOB_SCHEDULER:Welcome1!"])[0], 200)
        self.assertEqual(self.get(None)[0], 401)


if __name__ == "__main__":
    unittest.main()
