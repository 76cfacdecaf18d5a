/** The AMI the wizard proposes: the latest Amazon Linux 2023 from AWS's public SSM parameter, or a pick from a list. */
import { paginateDescribeImages, type EC2Client } from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

export type Architecture = 'x86_64' | 'arm64';

export const AL2023_PARAMETERS: Record<Architecture, string> = {
  x86_64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  arm64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
};

/** Graviton families carry a "g" right after the generation digit (t4g, m7gd, c6gn, im4gn, g5g); a1 is the first. */
export function architectureFor(instanceType: string): Architecture {
  const match = /^([a-z]+)(\d+)([a-z-]*)\./.exec(instanceType);
  if (!match) return 'x86_64';
  return match[1] + match[2] === 'a1' || match[3].startsWith('g') ? 'arm64' : 'x86_64';
}

export async function latestAl2023Ami(ssm: SSMClient, architecture: Architecture): Promise<string> {
  const result = await ssm.send(new GetParameterCommand({ Name: AL2023_PARAMETERS[architecture] }));
  const imageId = result.Parameter?.Value;
  if (!imageId) throw new Error(`The SSM parameter ${AL2023_PARAMETERS[architecture]} has no value in this region.`);
  return imageId;
}

export interface AmiChoice {
  imageId: string;
  name: string;
  creationDate?: string;
}

/** The fallback picker's list (when the SSM parameter cannot be read): Amazon's AL2023 images, newest first. */
export async function listAl2023Amis(ec2: EC2Client, architecture: Architecture, limit = 10): Promise<AmiChoice[]> {
  const images: AmiChoice[] = [];
  const pages = paginateDescribeImages(
    { client: ec2 },
    {
      Owners: ['amazon'],
      Filters: [
        { Name: 'name', Values: ['al2023-ami-2023.*'] },
        { Name: 'architecture', Values: [architecture] },
        { Name: 'state', Values: ['available'] },
      ],
    },
  );
  for await (const page of pages) {
    for (const image of page.Images ?? []) {
      // The minimal variant lacks packages the user data relies on.
      if (image.ImageId && image.Name && !image.Name.includes('minimal')) {
        images.push({ imageId: image.ImageId, name: image.Name, creationDate: image.CreationDate });
      }
    }
  }
  return images.sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? '')).slice(0, limit);
}
