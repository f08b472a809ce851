"""nbclient's ``NotebookClient``, waiting for each cell's reply and outputs in polls of at
most a second (the cell's timeout still applies), for :func:`gan_utils.notebooks.execute_notebook`.

With one long asyncio poll per cell, a reply that arrives while the machine is busy can be
noticed only when the poll times out, so a short notebook looks hung. Imported only when
notebooks are executed (nbclient is the ``execute`` extra).
"""

from __future__ import annotations

import asyncio
from queue import Empty
from time import monotonic

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellTimeoutError
from nbclient.util import ensure_async

POLL_SECONDS = 1.0


async def _next_message(channel, seconds: float = POLL_SECONDS):
    """The channel's next message, or None after ``seconds``."""
    try:
        return await ensure_async(channel.get_msg(timeout=seconds))
    except Empty:
        return None


class PollingClient(NotebookClient):
    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg, task_alive):
        deadline = None if timeout is None else monotonic() + timeout
        while deadline is None or monotonic() < deadline:
            msg = await _next_message(self.kc.shell_channel)
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                try:  # as nbclient does: let the cell's outputs arrive
                    await asyncio.wait_for(task_poll_output_msg, self.iopub_timeout)
                except (asyncio.TimeoutError, Empty):
                    self.log.warning("Timeout waiting for IOPub output")
                task_alive.cancel()
                return msg
        task_alive.cancel()  # nbclient's timeout path: a dead kernel, else CellTimeoutError
        await self._async_check_alive()
        await self._async_handle_timeout(timeout, cell)
        raise CellTimeoutError.error_from_timeout_and_cell("Cell execution timed out", timeout, cell)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        while True:
            msg = await _next_message(self.kc.iopub_channel)
            if msg is not None and msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
