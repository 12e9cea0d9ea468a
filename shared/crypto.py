"""Encryption at rest for transport secrets (SMTP passwords, webhook URLs): Fernet (AES + HMAC)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class Cipher:
    """Encrypts with the first key and decrypts with any, so keys can be rotated."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    @classmethod
    def from_setting(cls, value: str) -> Cipher:
        """Keys separated by commas, newest first."""
        return cls([k.strip() for k in value.split(",") if k.strip()])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as err:
            raise ValueError("cannot decrypt: wrong key or damaged value") from err

    def rotate(self, token: str) -> str:
        """Re-encrypt a value with the newest key."""
        return self._fernet.rotate(token.encode()).decode()


def new_key() -> str:
    """A fresh key for the settings."""
    return Fernet.generate_key().decode()


class SecretBox:
    """A secret kept at rest: Fernet-encrypted when the service has a key, else as it is. The
    stored form says which ("fernet:" or "plain:"), so a key added later still reads the older
    values, and `seal` encrypts from then on."""

    def __init__(self, cipher: Cipher | None) -> None:
        self._cipher = cipher

    @classmethod
    def from_setting(cls, value: str) -> SecretBox:
        """Keys separated by commas, newest first; empty: no encryption."""
        return cls(Cipher.from_setting(value) if value.strip() else None)

    def seal(self, plain: str) -> str:
        if self._cipher is None:
            return f"plain:{plain}"
        return f"fernet:{self._cipher.encrypt(plain)}"

    def open(self, stored: str) -> str:
        kind, _, value = stored.partition(":")
        if kind == "plain":
            return value
        if kind == "fernet" and self._cipher is not None:
            return self._cipher.decrypt(value)
        raise ValueError("cannot open a sealed secret: no key, or an unknown form")
