/**
 * Help text of `vitrine pair` and `vitrine sync`, apart from their code: the CLI loads
 * sync (WebCrypto, WebSocket, the sync session) only when one of them runs.
 */
export const SYNC_HELP = `  vitrine pair --notebook NB.vitrine [--relay ws://…] [--app URL]
      Print a pairing link for this notebook (open it in the app, or use it with
      "vitrine sync --link"). The secret is kept beside the notebook in NB.vitrine.sync
      (readable by you only), never inside it.
  vitrine sync --notebook NB.vitrine [--link LINK] [--relay ws://…] [--watch] [--name NAME]
      Join the notebook of LINK (once), pull and push its encrypted changes through the
      relay, save and exit; --watch keeps syncing until Ctrl+C.
`;
