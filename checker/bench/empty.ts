// `npm run bench:floor`: nothing at all, so `npm run bench` can time what every command of ours pays before it does anything.
export {};
