import fs from 'node:fs';

/**
 * Reads a file that is about to be graded, refusing anything but a regular file of reasonable
 * size: a symbolic link (which could lead to /dev/zero or out of the submission), a FIFO (which
 * would block the read for good), a device, a folder. Opened without following links and without
 * blocking, then checked on the open descriptor, so the file cannot be swapped in between.
 */

export const MAX_GRADED_BYTES = 1024 * 1024;

export class UngradableFile extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UngradableFile';
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export function readGradableFile(file: string, maxBytes = MAX_GRADED_BYTES): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UngradableFile(`the file does not exist: ${file}`);
    if (code === 'ELOOP') throw new UngradableFile(`${file} is a symbolic link; only a regular file is graded`);
    throw new UngradableFile(`${file} cannot be read (${code ?? 'unknown error'})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new UngradableFile(`${file} is ${kindOf(stat)}; only a regular file is graded`);
    if (stat.size > maxBytes) throw new UngradableFile(`${file} is ${stat.size} bytes; a graded file may be at most ${maxBytes}`);
    const buffer = Buffer.alloc(stat.size);
    const read = fs.readSync(fd, buffer, 0, stat.size, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
