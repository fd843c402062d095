"""A real SMTP server for the end-to-end email tests (aiosmtpd).

Usage: python3 smtp_sink.py PORT DIR [DELAY]

Accepts mail on 127.0.0.1:PORT and writes each message to DIR as an .eml
file. Recipients whose address starts with "bounce" are refused with a
permanent 550, like a mailbox that does not exist. With DELAY (seconds),
each DATA is answered only after that long, like a slow relay; while it
waits, DIR holds a `<id>.inflight` file holding the time the send began.
"""

import asyncio
import os
import time
import threading
import sys
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, delay):
        self.directory = directory
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        ident = uuid.uuid4().hex
        if self.delay > 0:
            marker = os.path.join(self.directory, f"{ident}.inflight")
            with open(marker, "w") as f:
                f.write(str(time.time()))
            await asyncio.sleep(self.delay)
            os.remove(marker)
        name = os.path.join(self.directory, f"{ident}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    os.makedirs(directory, exist_ok=True)
    controller = Controller(
        Sink(directory, delay), hostname="127.0.0.1", port=port, ready_timeout=30
    )
    controller.start()
    print("ready", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
