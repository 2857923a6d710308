package bulkinvite

// LocksFiles reports, for the tests, whether a run's journal is locked on
// this system (Unix and Windows: yes).
const LocksFiles = locksFiles
