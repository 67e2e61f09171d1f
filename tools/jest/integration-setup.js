// Integration tests start real Hazelcast members, MariaDB databases and processes: give hooks and
// tests room (jest's testTimeout is a global option, so the integration project sets it here).
jest.setTimeout(120_000);
