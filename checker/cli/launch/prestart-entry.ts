import { prestartGrading } from '../prestart.ts';

// A second entry of the CLI bundle, imported by the launcher before main (see ../prestart.ts). It
// shares its chunks with main, so main's `gradeFile` finds the worker this one started.
prestartGrading(process.argv.slice(2));
