package keeper

// The hospital chain's side of the phr packets, by file:
//   - remote_request.go: RequestRemoteAccess, the AccessRequest packet built
//     from the stored request, and its outcome (accepted, refused, timed out);
//   - remote_grant.go: recvGrantDecision, the mirror of the peer's grant;
//   - remote_fetch.go: FetchRemote and the Fetch packet;
//   - inbox.go: recvShare, the firewall core over a received share and its
//     rerandomization, the inbox.
